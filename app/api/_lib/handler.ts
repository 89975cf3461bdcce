/**
 * The one wrapper of every API route handler: Origin check for mutations,
 * the current user, JSON in and out, and AppError codes mapped to HTTP
 * statuses in one place. Handlers stay thin: parse, call one lib/server
 * function, return its result.
 */
import { NextResponse, type NextRequest } from "next/server";
import { AppError, isAppError, type ErrorCode } from "@/lib/shared/errors";
import {
  disallowedCharacterMessage,
  findDisallowedInUrl,
  findDisallowedText,
} from "@/lib/shared/validation/text";
import { getCurrentUser, type CurrentUser } from "@/lib/server/auth/get-current-user";
import { isAllowedOrigin } from "@/lib/server/http/origin";
import type { Actor } from "@/lib/server/policies";

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  bad_origin: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** Largest JSON body accepted. */
const MAX_BODY_BYTES = 256 * 1024;

/** What a handler receives. */
export type HandlerContext<P> = {
  request: NextRequest;
  params: P;
  user: CurrentUser | null;
  actor: Actor;
};

// Fatal: bytes that are not UTF-8 are refused, not silently turned into U+FFFD.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the JSON body; invalid_input when it is too large, not UTF-8, not
 * JSON, or holds a character no text input may hold (NUL, a lone surrogate,
 * a noncharacter) in any string or key: Postgres would refuse a NUL with a
 * 500 halfway through a write, whatever the route's own schema forgot.
 */
export async function readJson(request: NextRequest): Promise<unknown> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) throw new AppError("invalid_input", "The request body is too large.");
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_BODY_BYTES)
    throw new AppError("invalid_input", "The request body is too large.");
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new AppError("invalid_input", "The request body is not valid UTF-8.");
  }
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid_input", "The request body must be JSON.");
  }
  const found = findDisallowedText(value);
  if (found) {
    const field = found.path ? `The field “${found.path}”` : "The request body";
    throw new AppError("invalid_input", disallowedCharacterMessage(field, found), {
      field: found.path,
      codePoint: found.codePoint,
    });
  }
  return value;
}

/**
 * Reads a raw body of at most `limit` bytes, counting as it streams, and
 * refuses with too_large as soon as it is over: a Content-Length over the
 * limit is refused before anything is read.
 */
export async function readBytes(request: NextRequest, limit: number, tooLarge: string): Promise<Uint8Array> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > limit) throw new AppError("too_large", tooLarge);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new AppError("too_large", tooLarge);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Refuses route parameters and query strings holding what no text input may hold. */
function assertCleanAddress(request: NextRequest, params: unknown): void {
  const inUrl = findDisallowedInUrl(new URL(request.url));
  if (inUrl) throw new AppError("invalid_input", inUrl.message, { field: inUrl.part });
  // Next has decoded the parameters already; check what the handler will see.
  const inParams = findDisallowedText(params);
  if (inParams) {
    throw new AppError(
      "invalid_input",
      disallowedCharacterMessage(`The address part “${inParams.path}”`, inParams),
      { field: inParams.path, codePoint: inParams.codePoint },
    );
  }
}

/** The JSON error response for any thrown value. */
export function errorResponse(error: unknown): NextResponse {
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    const retry = error.details?.retryAfterSeconds;
    if (typeof retry === "number") headers["Retry-After"] = String(retry);
    return NextResponse.json(
      {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      },
      { status: STATUS[error.code], headers },
    );
  }
  console.error("[api] unexpected error:", error instanceof Error ? error.stack : error);
  return NextResponse.json(
    {
      error: {
        code: "internal",
        message: "Something went wrong on our side. Nothing you had saved was lost; try again.",
      },
    },
    { status: 500 },
  );
}

/** Wraps a route handler. */
export function handler<P = Record<string, never>>(
  fn: (context: HandlerContext<P>) => Promise<unknown>,
  options: { status?: number } = {},
) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const isMutation = !["GET", "HEAD", "OPTIONS"].includes(request.method);
      if (isMutation && !isAllowedOrigin(request.headers.get("origin"), request.headers.get("host"))) {
        throw new AppError("bad_origin", "This request came from another site and was refused.");
      }
      const params = await context.params;
      assertCleanAddress(request, params);
      const user = await getCurrentUser();
      const result = await fn({
        request,
        params,
        user,
        actor: user ? { userId: user.id } : null,
      });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true }, { status: options.status ?? 200 });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
