/**
 * The Content-Security-Policy of every page (issue 9 §4): scripts run only
 * when they carry this response's nonce, which Next puts on its own scripts
 * when it finds the policy on the request (proxy.ts sets it there). A script
 * that got into the page any other way — a stored XSS that slipped past the
 * comment sanitiser, say — does not run, and the browser reports it.
 */
import { randomBytes } from "node:crypto";

/** A fresh nonce: 128 random bits, base64 (a CSP nonce-source). */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/** Input of {@link buildContentSecurityPolicy}. */
export type ContentSecurityPolicyInput = {
  /** This response's nonce. */
  nonce: string;
  /** Next in development mode: React rebuilds server error stacks with eval there. */
  isDev: boolean;
  /** The app's origin (e.g. https://marginalia.example), for the /collab websocket; null: same origin only. */
  appOrigin: string | null;
};

/** The header value. */
export function buildContentSecurityPolicy({ nonce, isDev, appOrigin }: ContentSecurityPolicyInput): string {
  const socketOrigins = appOrigin ? webSocketOrigins(appOrigin) : [];
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    // 'strict-dynamic': Next's nonce'd bootstrap loads the page's chunks, and
    // they may load more; nothing else runs, not even from 'self'.
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(isDev ? ["'unsafe-eval'"] : [])],
    // <style> and stylesheets: our own files, and the inline <style> Next writes (nonce'd).
    ["style-src", "'self'", `'nonce-${nonce}'`],
    // style="…" attributes: React renders a category's colour as a swatch's
    // inline style, and ProseMirror, Tiptap and Radix position menus and
    // popovers through element styles. An attribute style cannot run script
    // or read the page; what it could fetch (url()) is held to 'self' by
    // img-src and font-src, so allowing it costs no script protection.
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    // The pages talk to the API and to /collab; naming ws(s):// explicitly
    // because not every browser lets 'self' cover websockets.
    ["connect-src", "'self'", ...socketOrigins],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map((parts) => parts.join(" ")).join("; ");
}

/** ws:// and wss:// of an http(s) origin; none when it is not one. */
function webSocketOrigins(origin: string): string[] {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return [];
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return [];
  // Behind a TLS proxy the page is https but Next sees http: allow both schemes for this one host.
  return [`ws://${url.host}`, `wss://${url.host}`];
}
