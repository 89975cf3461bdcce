/**
 * The Origin allowlist for state-changing HTTP requests and websocket
 * upgrades: the app's own URL (NEXTAUTH_URL, or the Host the request was
 * sent to when that is unset, as in local use) plus MARGINALIA_ALLOWED_ORIGINS.
 */
import { getEnv } from "../env";

/** The origins a request to `host` may come from. */
export function allowedOrigins(host: string | null | undefined): string[] {
  const env = getEnv();
  const origins = [...env.MARGINALIA_ALLOWED_ORIGINS];
  if (env.NEXTAUTH_URL) origins.push(new URL(env.NEXTAUTH_URL).origin);
  else if (host) origins.push(`http://${host}`, `https://${host}`);
  return origins;
}

/** True when `origin` is present and allowed for a request sent to `host`. */
export function isAllowedOrigin(origin: string | null | undefined, host: string | null | undefined): boolean {
  if (!origin) return false;
  return allowedOrigins(host).includes(origin);
}
