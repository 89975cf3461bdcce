/**
 * Days as Marginalia writes them, in UTC so that the server, the browser and
 * an export made anywhere agree: "4 Dec 2026" in lists and beside comments,
 * "4 December 2026" where a date stands on its own (an export's colophon).
 */

const SHORT_DAY = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const LONG_DAY = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** A Date from a Date or an ISO string; null when it is not a valid date. */
export function toDate(value: Date | string): Date | null {
  const date = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "4 Dec 2026"; the value as it is when it is not a date. */
export function formatDay(value: Date | string): string {
  const date = toDate(value);
  return date ? SHORT_DAY.format(date) : String(value);
}

/** "4 December 2026"; the value as it is when it is not a date. */
export function formatLongDay(value: Date | string): string {
  const date = toDate(value);
  return date ? LONG_DAY.format(date) : String(value);
}
