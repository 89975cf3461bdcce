/**
 * Runs before every page and API route (Next 16's successor of middleware.ts):
 * sets the Content-Security-Policy with a fresh nonce, on the request (Next
 * reads the nonce from there and puts it on its scripts) and on the response.
 * (Addresses holding NUL and the like are refused before Next sees them, in
 * server/http-server.ts, where the URL is still as the client sent it.)
 */
import { NextResponse, type NextRequest } from "next/server";
import { buildContentSecurityPolicy, createNonce } from "@/lib/server/http/content-security-policy";
import { getEnv } from "@/lib/server/env";

/** A Host header we are willing to echo into the policy: a name or address and a port. */
const PLAIN_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function proxy(request: NextRequest): NextResponse {
  const env = getEnv();
  const host = request.headers.get("host");
  const appOrigin = env.NEXTAUTH_URL ?? (host && PLAIN_HOST.test(host) ? `http://${host}` : null);
  const nonce = createNonce();
  const policy = buildContentSecurityPolicy({ nonce, isDev: env.NODE_ENV === "development", appOrigin });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Not for build output and icons: they are files, not documents, and the
  // policy applies to documents.
  matcher: ["/((?!_next/static|_next/image|icon.svg|favicon.ico).*)"],
};
