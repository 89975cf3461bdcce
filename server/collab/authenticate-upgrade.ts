/**
 * Decides a websocket upgrade before it happens (docs/architecture.md §6): Origin, room
 * name, session, then the policies' capabilities for the room. Admission
 * limits (admission.ts) run first, on the cookie decoded without the database. A refusal is
 * an HTTP status with a one-line reason; no websocket, no document bytes.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { decode } from "next-auth/jwt";
import { getEnv } from "@/lib/server/env";
import { findActiveSessionUser } from "@/lib/server/auth/sessions";
import { isAllowedOrigin } from "@/lib/server/http/origin";
import { roomCapabilities, type RoomCapabilities, type SeminarRole } from "@/lib/server/policies";
import { getRoomAccess } from "@/lib/server/policies/load-access";
import { MAX_ROOM_NAME_LENGTH, parseRoomName, type Room } from "@/lib/shared/rooms";

/** Who is connecting, from the session. */
export type SessionUser = {
  id: string;
  name: string;
  /** The UserSession id (revocation closes the socket). */
  sessionId: string;
  /** When the session's token expires (ms since epoch). */
  expiresAt: number;
};

/** An accepted upgrade. */
export type AcceptedUpgrade = {
  ok: true;
  user: SessionUser;
  room: Room;
  roomName: string;
  capabilities: RoomCapabilities;
  /** The user's role in the room's seminar (seminar rooms), for presence badges. */
  role: SeminarRole | null;
};

/** A refused upgrade. */
export type RefusedUpgrade = { ok: false; status: 400 | 401 | 403 | 404; message: string };

const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** Parses a Cookie header. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    try {
      cookies.set(name, decodeURIComponent(part.slice(index + 1).trim()));
    } catch {
      cookies.set(name, part.slice(index + 1).trim());
    }
  }
  return cookies;
}

/** The session token, joined from next-auth's chunks (`name.0`, `name.1`, …) if it was split. */
function sessionToken(cookies: Map<string, string>): string | null {
  for (const name of SESSION_COOKIES) {
    const whole = cookies.get(name);
    if (whole) return whole;
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`) as string);
    if (chunks.length) return chunks.join("");
  }
  return null;
}

/** What the session cookie says, read without the database. */
export type SessionClaims = {
  userId: string;
  /** The UserSession id. */
  sessionId: string;
  /** When the token expires (ms since epoch). */
  expiresAt: number;
};

/** How long a decoded cookie is remembered, and how many at most (oldest forgotten first). */
const DECODED_TTL_MS = 10_000;
const DECODED_MAX = 4096;

/**
 * Decoded cookies by a hash of the token, briefly: decoding is a key
 * derivation and a decryption, the largest cost of an upgrade attempt refused
 * by the admission limits, and a flood repeats one cookie thousands of times.
 * Claims are only what the token says; the session row is still read for
 * every upgrade that passes admission, so a revoked session is refused as before.
 */
const decoded = new Map<string, { claims: SessionClaims | null; until: number }>();

/**
 * Decodes the next-auth session cookie of a raw request (`getToken` returns
 * null for a bare IncomingMessage). CPU only: admission limits use it before
 * any query; null for no cookie, a bad one, or an expired one.
 */
export async function decodeSessionCookie(request: IncomingMessage): Promise<SessionClaims | null> {
  const token = sessionToken(parseCookies(request.headers.cookie));
  const secret = getEnv().NEXTAUTH_SECRET;
  if (!token || !secret) return null;
  const now = Date.now();
  const key = createHash("sha256").update(token).digest("base64");
  const remembered = decoded.get(key);
  if (remembered && remembered.until > now) {
    const { claims } = remembered;
    return claims && claims.expiresAt > now ? claims : null;
  }
  const claims = await decodeToken(token, secret);
  if (decoded.size >= DECODED_MAX) {
    for (const [oldKey, entry] of decoded) {
      if (decoded.size < DECODED_MAX && entry.until > now) break;
      decoded.delete(oldKey);
    }
  }
  decoded.delete(key);
  decoded.set(key, { claims, until: now + DECODED_TTL_MS });
  return claims;
}

async function decodeToken(token: string, secret: string): Promise<SessionClaims | null> {
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret });
  } catch {
    return null;
  }
  if (!payload?.uid || !payload.sid) return null;
  const expiresAt = typeof payload.exp === "number" ? payload.exp * 1000 : Date.now() + 3600_000;
  if (expiresAt <= Date.now()) return null;
  return { userId: payload.uid, sessionId: payload.sid, expiresAt };
}

/** The user of decoded claims, once the session row says it is still active. */
async function findSessionUser(claims: SessionClaims): Promise<SessionUser | null> {
  const user = await findActiveSessionUser(claims.sessionId, claims.userId);
  if (!user) return null;
  return { id: user.id, name: user.name, sessionId: claims.sessionId, expiresAt: claims.expiresAt };
}

/** The room name of a `/collab/<room>` request path, or null. */
export function roomFromPath(url: string | undefined): string | null {
  if (!url) return null;
  const path = url.split("?")[0] ?? "";
  if (!path.startsWith("/collab/")) return null;
  const raw = path.slice("/collab/".length);
  if (raw.length > MAX_ROOM_NAME_LENGTH * 3) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** Decides an upgrade request whose cookie decoded to `claims` (null: none, or not valid). */
export async function authenticateUpgrade(
  request: IncomingMessage,
  claims: SessionClaims | null,
): Promise<AcceptedUpgrade | RefusedUpgrade> {
  if (!isAllowedOrigin(request.headers.origin, request.headers.host)) {
    return { ok: false, status: 403, message: "This connection came from another site and was refused." };
  }
  const roomName = roomFromPath(request.url);
  const room = roomName ? parseRoomName(roomName) : null;
  if (!roomName || !room) return { ok: false, status: 400, message: "That is not a room name." };
  const user = claims ? await findSessionUser(claims) : null;
  if (!user) return { ok: false, status: 401, message: "Sign in to join this room." };
  const access = await getRoomAccess({ userId: user.id }, room);
  if (!access) return { ok: false, status: 404, message: "There is no such room." };
  const capabilities = roomCapabilities(access);
  if (!capabilities.canRead) return { ok: false, status: 403, message: "You may not join this room." };
  const role = "seminar" in access ? access.seminar.role : null;
  return { ok: true, user, room, roomName, capabilities, role };
}
