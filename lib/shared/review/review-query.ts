/**
 * The review page's filters, search and sort: one shape for the URL query
 * (so a filtered view is a link), the API and `findReviewThreads`.
 */
import "../validation/zod-in-browsers";
import { z } from "zod";
import { readingReviewPath } from "../urls";
import { ZSafeText } from "../validation/text";
import { normalizeTag, TAG_MESSAGES } from "../comments/tags";

/** Kinds of threads, as the URL names them. */
export const REVIEW_KINDS = ["highlight", "comment", "question", "note"] as const;
/** One of {@link REVIEW_KINDS}. */
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** Orders of the results. */
export const REVIEW_SORTS = ["position", "newest", "replies", "reactions"] as const;
/** One of {@link REVIEW_SORTS}. */
export type ReviewSort = (typeof REVIEW_SORTS)[number];

/** The thread kind (lib/shared/annotations/threads.ts) of each URL kind. */
export const THREAD_KIND_OF: Record<ReviewKind, "HIGHLIGHT" | "COMMENT" | "GUIDING_QUESTION" | "NOTE"> = {
  highlight: "HIGHLIGHT",
  comment: "COMMENT",
  question: "GUIDING_QUESTION",
  note: "NOTE",
};

/** Threads on one page of results, unless the query asks for another size. */
export const REVIEW_PAGE_SIZE = 50;
/** The most threads one page may hold (the API's `perPage`). */
export const MAX_REVIEW_PAGE_SIZE = 500;

/** Longest search accepted. */
export const MAX_REVIEW_SEARCH_LENGTH = 200;

const ZIsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-04.");
// An empty form field means "any".
const blankToNull = (value: unknown) => (value === "" || value === undefined ? null : value);

/** The review query. Every filter is optional; `null` means any. */
export const ZReviewQuery = z.object({
  /** Words to find in quotes and comments (PostgreSQL web search syntax: "a phrase", -not, or). */
  q: ZSafeText("Search")
    .trim()
    .max(MAX_REVIEW_SEARCH_LENGTH, `Search for at most ${MAX_REVIEW_SEARCH_LENGTH} characters.`)
    .default(""),
  /** A user id: threads they started or commented in. */
  participant: z.preprocess(
    blankToNull,
    z
      .string()
      .regex(/^[a-z0-9]{8,40}$/, "Not a valid id.")
      .nullable(),
  ),
  /** The role of the thread's author. */
  role: z.preprocess(blankToNull, z.enum(["instructor", "student"]).nullable()),
  /** A category id. */
  category: z.preprocess(blankToNull, ZSafeText("Category").max(40).nullable()),
  /** A #tag (with or without its `#`, any case): threads with a visible comment carrying it. */
  tag: z.preprocess(
    blankToNull,
    z
      .string(TAG_MESSAGES.invalid)
      .transform((value, ctx) => {
        const name = normalizeTag(value);
        if (name) return name;
        ctx.addIssue({ code: "custom", message: TAG_MESSAGES.invalid });
        return z.NEVER;
      })
      .nullable(),
  ),
  kind: z.preprocess(blankToNull, z.enum(REVIEW_KINDS).nullable()),
  /** Open (unresolved) or resolved threads. */
  status: z.preprocess(blankToNull, z.enum(["open", "resolved"]).nullable()),
  /** Created on or after this day (UTC). */
  from: z.preprocess(blankToNull, ZIsoDay.nullable()),
  /** Created on or before this day (UTC). */
  to: z.preprocess(blankToNull, ZIsoDay.nullable()),
  /** Index of a text block: threads that start in it (the paragraph strip links here). */
  paragraph: z.preprocess(
    (value) => (typeof value === "string" && value !== "" ? Number(value) : blankToNull(value)),
    z.number("Not a paragraph number.").int().min(0).max(100_000).nullable(),
  ),
  sort: z.preprocess(blankToNull, z.enum(REVIEW_SORTS).nullable()).transform((value) => value ?? "position"),
  /** 1-based page of the sorted results (a page past the last shows the last). */
  page: z.preprocess(
    (value) => (typeof value === "string" && value !== "" ? Number(value) : (blankToNull(value) ?? 1)),
    z.number("Not a page number.").int("Not a page number.").min(1, "Pages start at 1.").max(1_000_000),
  ),
  /** Threads per page. */
  perPage: z.preprocess(
    (value) =>
      typeof value === "string" && value !== "" ? Number(value) : (blankToNull(value) ?? REVIEW_PAGE_SIZE),
    z
      .number("Not a number of threads.")
      .int("Not a number of threads.")
      .min(1, "Show at least 1 thread per page.")
      .max(MAX_REVIEW_PAGE_SIZE, `Show at most ${MAX_REVIEW_PAGE_SIZE} threads per page.`),
  ),
});
/** A parsed review query. */
export type TReviewQuery = z.output<typeof ZReviewQuery>;

/** The query with nothing filtered, sorted by position. */
export const EMPTY_REVIEW_QUERY: TReviewQuery = ZReviewQuery.parse({});

/** Query keys in URL order. */
const KEYS = [
  "q",
  "participant",
  "role",
  "category",
  "tag",
  "kind",
  "status",
  "from",
  "to",
  "paragraph",
  "sort",
  "perPage",
  "page",
] as const;

/** Reads URL search params into a query: a field that does not parse is ignored, so a stale link still opens. */
export function readReviewQuery(params: Record<string, string | string[] | undefined>): TReviewQuery {
  const query: Record<string, unknown> = { ...EMPTY_REVIEW_QUERY };
  for (const key of KEYS) {
    const raw = params[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    const field = ZReviewQuery.shape[key].safeParse(value);
    if (field.success) query[key] = field.data;
  }
  return query as TReviewQuery;
}

/** The URL search string of a query ("" when nothing is set); defaults are left out. */
export function reviewQueryToSearch(query: Partial<TReviewQuery>): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = query[key];
    if (value === null || value === undefined || value === "") continue;
    if (key === "sort" && value === "position") continue;
    if (key === "page" && value === 1) continue;
    if (key === "perPage" && value === REVIEW_PAGE_SIZE) continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** Keys that choose which threads match (not their order or the page). */
const FILTER_KEYS = KEYS.filter((key) => key !== "sort" && key !== "page" && key !== "perPage");

/** True when a filter or search is set (the sort and the page do not count). */
export function isFiltered(query: TReviewQuery): boolean {
  return FILTER_KEYS.some((key) => query[key] !== null && query[key] !== "");
}

/**
 * The in-memory match for text that PostgreSQL does not hold (private notes
 * live only in their notes room): every word of the search appears in the
 * text and no "-word" does, ignoring case. Simpler than PostgreSQL's web
 * search: no stemming, quotes only group words, "or" is ignored.
 */
export function matchesSearch(text: string, q: string): boolean {
  const haystack = text.toLowerCase();
  const words = q
    .toLowerCase()
    .replace(/["“”]/g, " ")
    .split(/\s+/)
    .filter((word) => word && word !== "or" && word !== "-");
  return words.every((word) =>
    word.startsWith("-") ? !haystack.includes(word.slice(1)) : haystack.includes(word),
  );
}

/** The first instant of a UTC day. */
export function startOfUtcDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** The first instant after a UTC day (an exclusive upper bound). */
export function endOfUtcDay(day: string): Date {
  const date = startOfUtcDay(day);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/** The review page of a reading, with a query. */
export function reviewHref(seminarId: string, documentId: string, query: Partial<TReviewQuery> = {}): string {
  return `${readingReviewPath(seminarId, documentId)}${reviewQueryToSearch(query)}`;
}
