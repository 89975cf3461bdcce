/**
 * What the reader is told when the collab server closes a connection, by the
 * close code's name (lib/shared/close-codes.ts). 44xx codes are final: the
 * y-websocket client stops reconnecting.
 */
import { closeCodeName, isFinalCloseCode, type CloseCodeName } from "@/lib/shared/close-codes";

/** How a closed connection is shown. */
export type CloseReason = {
  /** One sentence for the reader. */
  message: string;
  /** Final: no reconnect will follow. */
  isFinal: boolean;
  /** The page should reload its data (new rights). */
  shouldRefresh: boolean;
  /** Offer to sign in again. */
  offersSignIn: boolean;
};

const REASONS: Partial<Record<CloseCodeName, CloseReason>> = {
  SESSION_ENDED: {
    message: "You were signed out, so live updates stopped.",
    isFinal: true,
    shouldRefresh: false,
    offersSignIn: true,
  },
  ACCESS_REVOKED: {
    message: "You no longer have access to this reading.",
    isFinal: true,
    shouldRefresh: true,
    offersSignIn: false,
  },
  UPDATE_REFUSED: {
    message: "A change was refused by the server (too large or nested too deeply). Reload the page.",
    isFinal: true,
    shouldRefresh: false,
    offersSignIn: false,
  },
  RATE_LIMITED: {
    message: "Too many changes too fast; live updates paused. Reload the page.",
    isFinal: true,
    shouldRefresh: false,
    offersSignIn: false,
  },
  TOO_SLOW: {
    message: "Your connection fell behind; catching up…",
    isFinal: false,
    shouldRefresh: false,
    offersSignIn: false,
  },
  CAPABILITIES_CHANGED: {
    message: "Your role in this seminar changed.",
    isFinal: false,
    shouldRefresh: true,
    offersSignIn: false,
  },
  GOING_AWAY: {
    message: "The server is restarting; reconnecting…",
    isFinal: false,
    shouldRefresh: false,
    offersSignIn: false,
  },
  SERVICE_RESTART: {
    message: "The server is restarting; reconnecting…",
    isFinal: false,
    shouldRefresh: false,
    offersSignIn: false,
  },
  INTERNAL_ERROR: {
    message: "A change could not be saved; reconnecting to resend it…",
    isFinal: false,
    shouldRefresh: false,
    offersSignIn: false,
  },
};

/** The reason for a close code; null for an ordinary disconnect. */
export function closeReason(code: number): CloseReason | null {
  const name = closeCodeName(code);
  const reason = name ? REASONS[name] : undefined;
  if (reason) return reason;
  if (isFinalCloseCode(code)) {
    return {
      message: "The server closed the connection.",
      isFinal: true,
      shouldRefresh: false,
      offersSignIn: false,
    };
  }
  return null;
}
