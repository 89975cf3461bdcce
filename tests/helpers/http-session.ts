/**
 * A browser-like HTTP client for API and page tests: keeps cookies, sends an
 * Origin on mutations (the app's own unless told otherwise), and signs in
 * through next-auth's real Credentials endpoint.
 */
import { TEST_PASSWORD } from "./factories";

export class HttpSession {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** The Cookie header this session sends. */
  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** The value of one cookie. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Sends a request; `json` is sent as a JSON body. */
  async request(
    method: string,
    path: string,
    options: {
      json?: unknown;
      form?: Record<string, string>;
      body?: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
      origin?: string | null;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    const origin = options.origin === undefined ? this.baseUrl : options.origin;
    if (origin !== null && method !== "GET") headers.origin = origin;
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(options.form).toString();
    }
    // A stream is sent chunked, without a Content-Length (Node's fetch wants `duplex` for it).
    const init = { method, headers, body, redirect: "manual", duplex: "half" } as RequestInit;
    const response = await fetch(new URL(path, this.baseUrl), init);
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = setCookie.split(";");
      const index = (pair as string).indexOf("=");
      const name = (pair as string).slice(0, index).trim();
      const value = (pair as string).slice(index + 1).trim();
      const isExpired = attributes.some((attribute) =>
        /max-age=0|expires=thu, 01 jan 1970/i.test(attribute.trim()),
      );
      if (isExpired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** GET and parse JSON. */
  async getJson<T = unknown>(path: string): Promise<{ status: number; body: T }> {
    const response = await this.request("GET", path);
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Sends JSON and parses the JSON answer. */
  async sendJson<T = unknown>(method: string, path: string, json?: unknown, origin?: string | null) {
    const response = await this.request(method, path, { json: json ?? {}, origin });
    return { status: response.status, body: (await response.json()) as T };
  }

  /**
   * Signs in through next-auth (CSRF token, then the Credentials callback).
   * Returns the error message the sign-in page would show, or null on success.
   */
  async signIn(email: string, password: string): Promise<string | null> {
    const { body } = await this.getJson<{ csrfToken: string }>("/api/auth/csrf");
    const response = await this.request("POST", "/api/auth/callback/credentials", {
      form: { csrfToken: body.csrfToken, email, password, json: "true", callbackUrl: this.baseUrl },
    });
    const location =
      response.headers.get("location") ?? ((await response.json().catch(() => ({}))) as { url?: string }).url;
    if (this.cookie("next-auth.session-token")) return null;
    const error = location ? new URL(location, this.baseUrl).searchParams.get("error") : null;
    return error ?? `sign-in failed with HTTP ${response.status}`;
  }

  /** Creates an account through the API and signs in. */
  async signUp(name: string, email: string, password: string): Promise<void> {
    const { status, body } = await this.sendJson("POST", "/api/users", { name, email, password });
    if (status !== 201) throw new Error(`sign-up failed: ${status} ${JSON.stringify(body)}`);
    const error = await this.signIn(email, password);
    if (error) throw new Error(`sign-in after sign-up failed: ${error}`);
  }

  /** Signs out through next-auth. */
  async signOut(): Promise<void> {
    const { body } = await this.getJson<{ csrfToken: string }>("/api/auth/csrf");
    await this.request("POST", "/api/auth/signout", { form: { csrfToken: body.csrfToken, json: "true" } });
  }

  /** The user next-auth reports for this session, or null. */
  async sessionUser(): Promise<{ id: string; name: string; email: string } | null> {
    const { body } = await this.getJson<{ user?: { id: string; name: string; email: string } }>(
      "/api/auth/session",
    );
    return body.user ?? null;
  }
}

/**
 * One signed-in session per user, made on first use: `const as = signedInAs(() => app.url)`,
 * then `(await as(student)).sendJson(…)`.
 */
export function signedInAs(baseUrl: () => string, password = TEST_PASSWORD) {
  const sessions = new Map<string, HttpSession>();
  return async (user: { email: string }): Promise<HttpSession> => {
    const existing = sessions.get(user.email);
    if (existing) return existing;
    const session = new HttpSession(baseUrl());
    const error = await session.signIn(user.email, password);
    if (error) throw new Error(`${user.email} could not sign in: ${error}`);
    sessions.set(user.email, session);
    return session;
  };
}
