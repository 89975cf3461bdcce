/**
 * The first request for a page after the app starts is slow: Next has loaded the route's
 * entry, but the first render still instantiates the modules it imports, V8 runs that code
 * for the first time, and Prisma compiles each query shape on first use. Measured on the
 * reading page (2 cores, the demo seminar): the HTML's first byte came 0.44–0.67 s after
 * the request on a fresh process against 0.04–0.08 s on the next one.
 *
 * So before the process says it is running it asks itself for the pages a reader opens
 * first, as an anonymous visitor: the sign-in page, the home page, a reading and its review
 * (which load their route, then redirect to sign-in), and the public texts (which render a
 * text the way a reading does). Nothing is written and no one is signed in. Any failure is
 * ignored: warming up is only ever an optimisation.
 */
import { readingPath, readingReviewPath } from "../lib/shared/urls";

/** The most public texts rendered while warming up. */
const MAX_TEXTS = 3;

/** How long warming up may take in all, ms. */
const WARM_UP_BUDGET_MS = 15_000;

/** The paths fetched, in order: the routes a reader meets first, then public texts. */
export function warmUpPaths(publicTextSlugs: readonly string[]): string[] {
  // Ids no record has: the route is loaded and answers with a redirect to sign-in.
  const placeholder = "warm-up";
  return [
    "/signin",
    "/",
    readingPath(placeholder, placeholder),
    readingReviewPath(placeholder, placeholder),
    ...publicTextSlugs.slice(0, MAX_TEXTS).map((slug) => `/texts/${encodeURIComponent(slug)}`),
  ];
}

/**
 * Fetches each path from `origin` once, one after the other, reading each body to its end;
 * resolves with how long it took. Never rejects.
 */
export async function warmUp(
  origin: string,
  paths: readonly string[],
): Promise<{ ms: number; failed: number }> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(WARM_UP_BUDGET_MS);
  let failed = 0;
  for (const path of paths) {
    if (deadline.aborted) break;
    try {
      const response = await fetch(new URL(path, origin), { redirect: "manual", signal: deadline });
      await response.arrayBuffer();
      // A redirect (to sign-in) is expected; a page that is gone or fails is not.
      if (response.status >= 400) failed++;
    } catch {
      failed++;
    }
  }
  return { ms: performance.now() - started, failed };
}
