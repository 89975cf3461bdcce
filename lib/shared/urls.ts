/** A same-site path to return to after signing in, or "/" for anything else (no open redirects). */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}

/** The sign-in page, returning to `path` afterwards. */
export function signInUrl(path: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(path)}`;
}
