/**
 * The one error type of Marginalia, with a closed list of codes. `app/` maps
 * codes to HTTP statuses once (lib/server/http); `server/` closes sockets with
 * the named close codes of lib/shared/close-codes.ts.
 */
export const ERROR_CODES = [
  /** Input failed validation; the message says what to fix. */
  "invalid_input",
  /** No signed-in user. */
  "unauthenticated",
  /** Signed in, but not allowed to do this. */
  "forbidden",
  /** The thing does not exist, or the user may not know it exists. */
  "not_found",
  /** The request conflicts with the current state (a duplicate email, say). */
  "conflict",
  /** The request body is larger than this route accepts (an upload over its limit). */
  "too_large",
  /** The content is of a kind this route does not accept (an upload that is no supported format). */
  "unsupported_media_type",
  /** Well-formed input that cannot be processed (a file that converts to no text, or took too long). */
  "unprocessable",
  /** Too many attempts; try again later. */
  "rate_limited",
  /** A request from a foreign origin. */
  "bad_origin",
  /** Something is missing on this machine or in the configuration. */
  "unavailable",
  /** A bug or an unexpected failure. */
  "internal",
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure, with a message fit to show to the person who caused it. */
export class AppError extends Error {
  /** What kind of failure this is. */
  readonly code: ErrorCode;
  /** Extra facts for the client (field names, a retry time); never secrets. */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

/** True for an {@link AppError}, including one from another copy of this module. */
export function isAppError(error: unknown): error is AppError {
  return (
    error instanceof AppError || (error instanceof Error && error.name === "AppError" && "code" in error)
  );
}
