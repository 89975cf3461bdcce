/** A failed API call, with the server's message fit to show. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** The AppError code from the server, or "network". */
    readonly code: string,
    /** The HTTP status (0 when the request never arrived). */
    readonly status: number,
    /** Extra facts from the server (per-field messages, retry time). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Calls our JSON API; throws ApiError with the server's message on failure. */
export async function apiRequest<T = unknown>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  url: string,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError("Could not reach the server. Check your connection and try again.", "network", 0);
  }
  const payload = (await response.json().catch(() => null)) as
    (T & { error?: { code: string; message: string; details?: Record<string, unknown> } }) | null;
  if (!response.ok) {
    throw new ApiError(
      payload?.error?.message ?? `The server answered ${response.status}.`,
      payload?.error?.code ?? "internal",
      response.status,
      payload?.error?.details,
    );
  }
  return payload as T;
}
