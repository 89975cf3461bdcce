/**
 * Headless Chromium for browser tests: Debian's `chromium` (or CHROMIUM_PATH),
 * driven by playwright-core. Never downloads a browser.
 */
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, chromiumCandidates, findChromiumPath } from "../../lib/server/chromium";

/** The Chromium executable, or an error that says what to install. */
export function findChromium(): string {
  const candidates = chromiumCandidates();
  const found = findChromiumPath(candidates);
  if (!found) {
    throw new Error(
      `No Chromium found (looked at ${candidates.join(", ")}). Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return found;
}

/** Launches headless Chromium with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
}

/**
 * The scripts a page's HTML names (`<script src>`), as absolute URLs against `baseUrl`: the
 * ones the server sent, as against those the page's own scripts add later.
 */
export function scriptsNamedIn(html: string, baseUrl: string): URL[] {
  return [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map(
    ([, src]) => new URL((src as string).replaceAll("&amp;", "&"), baseUrl),
  );
}
