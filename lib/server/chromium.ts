/**
 * Where the headless Chromium is, and how we start it: the PDF export, the
 * browser tests and the screenshot script share this, so a machine that
 * renders PDFs is a machine that runs the tests.
 */
import { existsSync } from "node:fs";
import { getEnv } from "./env";

/** Where Chromium may be, in the order we look: `CHROMIUM_PATH`, then the usual Debian and Google paths. */
export function chromiumCandidates(): string[] {
  const configured = getEnv().CHROMIUM_PATH;
  return [
    ...(configured ? [configured] : []),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
  ];
}

/** The first of `candidates` that exists, or null. */
export function findChromiumPath(candidates: string[] = chromiumCandidates()): string | null {
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

/**
 * Flags for headless Chromium on a server: no sandbox (we run as root in
 * containers), no GPU, and nothing that reaches out to the network on its own
 * (closed networks refuse those connections by the dozen).
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];
