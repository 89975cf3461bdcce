/**
 * What the reader is told when the collab server closes a connection, by
 * close code (server/collab/close-codes.ts names them). 44xx codes are final:
 * the y-websocket client stops reconnecting.
 */

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

const REASONS: Record<number, CloseReason> = {
  4401: {
    message: "You were signed out, so live updates stopped.",
    isFinal: true,
    shouldRefresh: false,
    offersSignIn: true,
  },
  4403: {
    message: "You no longer have access to this reading.",
    isFinal: true,
    shouldRefresh: true,
    offersSignIn: false,
  },
  4413: {
    message: "A change was refused by the server (too large or nested too deeply). Reload the page.",
    isFinal: true,
    shouldRefresh: false,
    offersSignIn: false,
  },
  4429: {
    message: "Too many changes too fast; live updates paused. Reload the page.",
    isFinal: true,
    shouldRefresh: false,
    offersSignIn: false,
  },
  4508: {
    message: "Your connection fell behind; catching up…",
    isFinal: false,
    shouldRefresh: false,
    offersSignIn: false,
  },
  4509: {
    message: "Your role in this seminar changed.",
    isFinal: false,
    shouldRefresh: true,
    offersSignIn: false,
  },
  1001: {
    message: "The server is restarting; reconnecting…",
    isFinal: false,
    shouldRefresh: false,
    offersSignIn: false,
  },
  1011: {
    message: "A change could not be saved; reconnecting to resend it…",
    isFinal: false,
    shouldRefresh: false,
    offersSignIn: false,
  },
};

/** The reason for a close code; null for an ordinary disconnect. */
export function closeReason(code: number): CloseReason | null {
  if (REASONS[code]) return REASONS[code];
  if (code >= 4400 && code < 4500) {
    return {
      message: "The server closed the connection.",
      isFinal: true,
      shouldRefresh: false,
      offersSignIn: false,
    };
  }
  return null;
}
