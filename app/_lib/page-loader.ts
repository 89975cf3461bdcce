/**
 * The one loader of the signed-in pages (a seminar, a reading, its review,
 * export and snapshots): someone signed out is sent to sign in and brought
 * back, and a thing that does not exist — or that the viewer may not know
 * exists (lib/server answers not_found for both) — is the 404 page, and a
 * reading the seminar replaced by a copy of its own leads to the copy.
 * Wrapped in React `cache()`, so `generateMetadata` and the page share one
 * load per request instead of querying the reading twice.
 */
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { isAppError } from "@/lib/shared/errors";
import { signInUrl } from "@/lib/shared/urls";

/** The signed-in viewer, as lib/server functions take it. */
export type PageActor = { userId: string };

/** What one load came to. */
type Outcome<Data> =
  | { status: "ok"; data: Data }
  | { status: "signed-out" }
  | { status: "not-found" }
  | { status: "moved"; path: string };

/** The document a not_found error says the seminar reads instead (a seminar copy, docs/adr/0026). */
function movedToDocument(details: Record<string, unknown> | undefined): string | null {
  const movedTo = details?.movedTo;
  if (typeof movedTo !== "object" || movedTo === null || !("documentId" in movedTo)) return null;
  return typeof movedTo.documentId === "string" ? movedTo.documentId : null;
}

/** Loads a page's data for the signed-in viewer, once per request. */
export type PageLoader<Args extends string[], Data> = {
  /** For the page: the data, or a redirect to sign in, or the 404 page. */
  load(...args: Args): Promise<Data>;
  /**
   * For `generateMetadata`: the page's title, `signedOut` for someone signed
   * out (the page redirects them), "Not found" when the load failed.
   */
  metadata(args: Args, titleOf: (data: Data) => string, signedOut: string): Promise<Metadata>;
};

/**
 * A page's loader: `path` is the page's own path (to come back to after
 * signing in), `fetch` loads its data with one lib/server call.
 */
export function pageLoader<Args extends string[], Data>(
  path: (...args: Args) => string,
  fetch: (actor: PageActor, ...args: Args) => Promise<Data>,
): PageLoader<Args, Data> {
  // React compares cached calls' arguments one by one: strings by value.
  const attempt = cache(async (...args: Args): Promise<Outcome<Data>> => {
    const user = await getCurrentUser();
    if (!user) return { status: "signed-out" };
    try {
      return { status: "ok", data: await fetch({ userId: user.id }, ...args) };
    } catch (error) {
      if (isAppError(error) && error.code === "not_found") {
        // A reading the seminar replaced by its own copy: the same page of the copy.
        const copyId = movedToDocument(error.details);
        const from = args[1];
        if (copyId && from !== undefined)
          return {
            status: "moved",
            path: path(...(args.map((arg) => (arg === from ? copyId : arg)) as Args)),
          };
        return { status: "not-found" };
      }
      throw error;
    }
  });
  return {
    async load(...args) {
      const outcome = await attempt(...args);
      // redirect() and notFound() throw Next's own signals: call them here, never inside the cache.
      if (outcome.status === "signed-out") redirect(signInUrl(path(...args)));
      if (outcome.status === "not-found") notFound();
      if (outcome.status === "moved") redirect(outcome.path);
      return outcome.data;
    },
    async metadata(args, titleOf, signedOut) {
      try {
        const outcome = await attempt(...args);
        if (outcome.status === "signed-out") return { title: signedOut };
        if (outcome.status === "not-found" || outcome.status === "moved") return { title: "Not found" };
        return { title: titleOf(outcome.data) };
      } catch {
        return { title: "Not found" };
      }
    },
  };
}
