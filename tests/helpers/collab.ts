/**
 * Collab test kit: a real CollabServer on a real port (0), real y-websocket
 * clients in Node (with the `ws` class, since Node 20 has no WebSocket), and
 * session cookies minted exactly as next-auth mints them.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { createUserSession } from "../../lib/server/auth/sessions";
import { isAdmissionRequest, serveAdmission } from "../../server/collab/admission-endpoint";
import { CollabServer } from "../../server/collab/collab-server";
import type { CollabConfig } from "../../server/collab/config";

/** The secret the test database setup gives next-auth. */
export function testSecret(): string {
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set; the test database setup did not run.");
  return secret;
}

/** A running collab server. */
export type CollabHarness = {
  server: CollabServer;
  http: http.Server;
  port: number;
  /** `ws://127.0.0.1:<port>/collab` */
  url: string;
  /** The Origin the server allows. */
  origin: string;
  close(): Promise<void>;
};

/** Starts a CollabServer behind a plain HTTP server on a free port. */
export async function startCollab(
  config: Partial<CollabConfig> = {},
  options: { log?: (event: string, fields: Record<string, unknown>) => void } = {},
): Promise<CollabHarness> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set; the test database setup did not run.");
  const server = new CollabServer({
    databaseUrl,
    config: { heartbeatMs: 60_000, ...config },
    log: options.log,
  });
  await server.start();
  const httpServer = http.createServer((request, response) => {
    if (isAdmissionRequest(request)) return serveAdmission(server, request, response);
    response.writeHead(404).end();
  });
  httpServer.on("upgrade", (request, socket, head: Buffer) => server.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    server,
    http: httpServer,
    port,
    url: `ws://127.0.0.1:${port}/collab`,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** A session cookie for `user`, backed by a real UserSession row. */
export async function sessionCookie(user: { id: string; name: string; email: string }) {
  const sessionId = await createUserSession(user.id);
  const token = await encode({
    token: { uid: user.id, sid: sessionId, name: user.name, email: user.email, sub: user.id },
    secret: testSecret(),
  });
  return { cookie: `next-auth.session-token=${token}`, sessionId };
}

/** A `ws` WebSocket class that sends our headers, for y-websocket's WebSocketPolyfill. */
export function websocketClass(headers: Record<string, string>) {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };
}

/** A y-websocket client in Node. */
export type TestClient = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close events the provider saw. */
  closes: { code: number; reason: string }[];
  destroy(): void;
};

/** Connects a real y-websocket provider; resolves once synced (or rejects on a close first). */
export async function connectClient(
  harness: { url: string; origin: string },
  room: string,
  options: {
    cookie: string;
    origin?: string;
    doc?: Y.Doc;
    /** An earlier provider's awareness, to reconnect as the same client with its clock. */
    awareness?: WebsocketProvider["awareness"];
    waitForSync?: boolean;
  },
): Promise<TestClient> {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(harness.url, room, doc, {
    ...(options.awareness ? { awareness: options.awareness } : {}),
    WebSocketPolyfill: websocketClass({
      cookie: options.cookie,
      origin: options.origin ?? harness.origin,
    }) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  const closes: { code: number; reason: string }[] = [];
  provider.on("connection-close", (event: CloseEvent | null) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  const client = {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  if (options.waitForSync !== false) {
    await waitFor(() => provider.synced, `client of ${room} to sync (closes: ${JSON.stringify(closes)})`);
  }
  return client;
}

/** Polls `condition` until true, or throws naming what it waited for. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A raw websocket, for protocol-level tests: every frame it receives, the close it got, or the HTTP refusal. */
export type RawSocket = {
  ws: WebSocket;
  frames: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
  send(frame: Uint8Array): void;
};

/** Opens a raw socket; resolves with it once open, or with the HTTP status and body if the upgrade was refused. */
export function openRaw(
  harness: { url: string; origin: string },
  room: string,
  options: { cookie?: string; origin?: string | null } = {},
): Promise<{ socket: RawSocket } | { status: number; body: string; bytes: number; retryAfter?: string }> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  const origin = options.origin === undefined ? harness.origin : options.origin;
  if (origin !== null) headers.origin = origin;
  const ws = new WebSocket(`${harness.url}/${room}`, { headers });
  const frames: Uint8Array[] = [];
  ws.on("message", (data: Buffer) => frames.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ socket: { ws, frames, closed, send: (frame) => ws.send(frame) } }));
    ws.once("unexpected-response", (_request, response) => {
      let body = "";
      let bytes = 0;
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString();
        bytes += chunk.length;
      });
      response.on("end", () => {
        // Only refusals for load carry Retry-After; `undefined` keeps other refusals' shape as it was.
        const retryAfter = response.headers["retry-after"];
        resolve({ status: response.statusCode ?? 0, body, bytes, retryAfter });
      });
    });
    ws.once("error", (error) => {
      if (!String(error.message).startsWith("Unexpected server response")) reject(error);
    });
  });
}
