/**
 * Named websocket close codes (as Hocuspocus' CloseEvents.ts): the contract
 * between the collab server (server/collab), which closes with them, and the
 * browser (lib/client/collab/close-reasons.ts), which says them in words, so
 * both key on these names and neither spells a bare number. The y-websocket 3
 * client treats 4400–4499 as final (it stops reconnecting and emits `closed`)
 * and everything else as transient, so the range says what the browser does.
 */
export const CloseCode = {
  /** Server shutting down; reconnect. */
  GOING_AWAY: 1001,
  /** This process is draining (a restart or scale-down): reconnect at once, the balancer picks another. */
  SERVICE_RESTART: 1012,
  /** A frame we could not decode; reconnect. */
  PROTOCOL_ERROR: 1002,
  /** A text frame; the protocol is binary. */
  UNSUPPORTED_DATA: 1003,
  /** A frame over maxPayload (sent by `ws` itself). */
  MESSAGE_TOO_BIG: 1009,
  /** We failed to store an update; reconnect and resync. */
  INTERNAL_ERROR: 1011,
  /** Signed out, or the session was revoked or expired: final. */
  SESSION_ENDED: 4401,
  /** No longer allowed in this room (removed from the seminar, reading removed): final. */
  ACCESS_REVOKED: 4403,
  /** An update we refuse to apply (too large, too deeply nested): final, or it would resend it forever. */
  UPDATE_REFUSED: 4413,
  /** Too many messages: final. */
  RATE_LIMITED: 4429,
  /** Could not keep up with the room's traffic; reconnect and resync. */
  TOO_SLOW: 4508,
  /** The connection's rights changed (a role change); reconnect to get the new ones. */
  CAPABILITIES_CHANGED: 4509,
} as const;

/** One of {@link CloseCode}. */
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** The name of one of {@link CloseCode}. */
export type CloseCodeName = keyof typeof CloseCode;

const NAMES = new Map<number, CloseCodeName>(
  Object.entries(CloseCode).map(([name, code]) => [code, name as CloseCodeName]),
);

/** The name of a close code we send, or null for any other code (a browser's own 1006, say). */
export function closeCodeName(code: number): CloseCodeName | null {
  return NAMES.get(code) ?? null;
}

/** True for a code the y-websocket client treats as final: it will not reconnect. */
export function isFinalCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500;
}
