"use client";

import { useEffect, useState } from "react";

type Unit = "second" | "minute" | "hour" | "day" | "week" | "month" | "year";

const STEPS: [Unit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Infinity],
];

/** What `Intl.RelativeTimeFormat("en", { numeric: "auto" })` says instead of "1 day ago" and the like. */
const WORDS: Partial<Record<Unit, { last: string; next: string; now: string }>> = {
  day: { last: "yesterday", next: "tomorrow", now: "today" },
  week: { last: "last week", next: "next week", now: "this week" },
  month: { last: "last month", next: "next month", now: "this month" },
  year: { last: "last year", next: "next year", now: "this year" },
};

/**
 * `value` `unit`s from now in English, word for word as
 * `new Intl.RelativeTimeFormat("en", { numeric: "auto" }).format(value, unit)` says it
 * (lib/client/time.test.ts compares the two). Not Intl itself: constructing the first
 * RelativeTimeFormat costs Chromium 35–60 ms (loading ICU's relative-time data) in the
 * middle of the reading page's start, on every page load.
 */
export function formatRelative(value: number, unit: Unit): string {
  const words = WORDS[unit];
  if (words && value === -1) return words.last;
  if (words && value === 1) return words.next;
  if (value === 0) return words?.now ?? (unit === "second" ? "now" : `this ${unit}`);
  const size = Math.abs(value);
  const count = `${size >= 1000 ? size.toLocaleString("en-US") : size} ${unit}${size === 1 ? "" : "s"}`;
  return value < 0 ? `${count} ago` : `in ${count}`;
}

/** "just now", "3 minutes ago", "yesterday"… */
export function relativeTime(iso: string, now: number): string {
  let value = (new Date(iso).getTime() - now) / 1000;
  if (Math.abs(value) < 45) return "just now";
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return formatRelative(Math.round(value), unit);
    value /= size;
  }
  return formatRelative(Math.round(value), "year");
}

/** The current time, refreshed every `ms` (relative times stay true). */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
