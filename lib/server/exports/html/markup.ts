/**
 * The small pieces every part of the annotated copy writes with: escaping,
 * the category colours we accept into a style attribute, and dates as
 * `<time>` elements.
 */
import { formatDay, toDate } from "@/lib/shared/dates";

const HTML_SPECIAL = /[&<>"']/;

/** Escapes text for HTML content and for quoted attribute values. */
export function escapeHtml(value: string): string {
  // Most text has none of the five: one scan instead of five replacements.
  if (!HTML_SPECIAL.test(value)) return value;
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A category colour we are willing to put into a style attribute, or null. */
export function safeColor(color: string | null | undefined): string | null {
  return color && HEX_COLOR.test(color) ? color.toLowerCase() : null;
}

/** The style attribute that gives a swatch its colour ("" for the default colour). */
export function swatchStyle(color: string | null): string {
  return color ? ` style="--swatch:${color}"` : "";
}

/** A `<time>` element, "4 Dec 2026" unless told otherwise; "" when the value is not a date. */
export function timeTag(value: string | Date, text?: string): string {
  const date = toDate(value);
  if (!date) return "";
  // `toISOString` writes digits, "-", ":", ".", "T" and "Z" only: nothing to escape. The day is
  // read off that string (formatDay remembers days by it), not from the date written out again.
  const iso = date.toISOString();
  return `<time datetime="${iso}">${escapeHtml(text ?? formatDay(iso))}</time>`;
}
