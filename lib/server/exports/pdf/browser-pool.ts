/**
 * One Chromium per process for the PDF export (Debian's, never downloaded):
 * launched on first use, shared by at most {@link MAX_CONCURRENT_RENDERS}
 * renders at once (more wait their turn), and closed when idle.
 */
import type { Browser } from "playwright-core";
import { AppError } from "@/lib/shared/errors";
import { CHROMIUM_ARGS, chromiumCandidates, findChromiumPath } from "../../chromium";

/** The Chromium to render with; an `unavailable` error that says what to install when there is none. */
export function findChromiumExecutable(candidates: string[] = chromiumCandidates()): string {
  const found = findChromiumPath(candidates);
  if (!found) {
    throw new AppError(
      "unavailable",
      "PDF export needs Chromium on the server: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.",
    );
  }
  return found;
}

/** Close the shared browser after this long without a render. */
const IDLE_CLOSE_MS = 60_000;
/** Renders at once; more wait their turn (each takes a Chromium renderer, two while a copy of several batches prints). */
const MAX_CONCURRENT_RENDERS = 2;
/** A render that takes longer than this fails instead of holding the request. */
export const RENDER_TIMEOUT_MS = 60_000;

let browserPromise: Promise<Browser> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let running = 0;
const waiting: (() => void)[] = [];

async function loadChromium() {
  try {
    return (await import("playwright-core")).chromium;
  } catch {
    throw new AppError(
      "unavailable",
      "PDF export needs the playwright-core package on the server (npm install playwright-core).",
    );
  }
}

function launch(): Promise<Browser> {
  const executablePath = findChromiumExecutable();
  const promise = loadChromium()
    .then((chromium) =>
      chromium.launch({
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
      }),
    )
    .then((browser) => {
      // A crashed or closed browser is launched again by the next render.
      browser.on("disconnected", () => {
        if (browserPromise === promise) browserPromise = null;
      });
      return browser;
    });
  promise.catch(() => {
    if (browserPromise === promise) browserPromise = null;
  });
  return promise;
}

/** Waits for a render slot and returns the shared browser, launching it when there is none. */
export async function acquire(): Promise<Browser> {
  // A finished render hands its slot straight to the next in line (see release).
  if (running >= MAX_CONCURRENT_RENDERS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = null;
  }
  try {
    browserPromise ??= launch();
    return await browserPromise;
  } catch (error) {
    release();
    if (error instanceof AppError) throw error;
    throw new AppError("unavailable", `Chromium could not be started for the PDF export: ${String(error)}`);
  }
}

/** Gives the slot back: to the next render waiting, or to the idle timer. */
export function release() {
  const next = waiting.shift();
  if (next) return next();
  running -= 1;
  if (running === 0 && browserPromise) {
    // Playwright also kills the browser when this process exits; the timer is unref'd so it keeps nothing alive.
    idleTimer = setTimeout(() => void closePdfBrowser(), IDLE_CLOSE_MS);
    idleTimer.unref();
  }
}

/** Closes the shared browser (tests call it in afterAll; the idle timer calls it too). */
export async function closePdfBrowser(): Promise<void> {
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = null;
  }
  const promise = browserPromise;
  browserPromise = null;
  if (!promise) return;
  try {
    await (await promise).close();
  } catch {
    // Already gone.
  }
}
