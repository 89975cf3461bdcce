/**
 * Helpers for the conversion tests: fixtures, and the parts of a converted
 * reading the tests compare with its source.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { JSONContent } from "@tiptap/core";
import { expect } from "vitest";
import { importText } from "@/lib/shared/documents/import-text";
import type { ConversionResult } from "@/lib/server/imports/types";

export const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "uploads");
export const ESSAY_PATH = path.join(process.cwd(), "content", "texts", "trotsky-guest-of-the-revolution.txt");

/** A fixture's bytes. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, name)));
}

/** A successful result, or a failure that says why. */
export function converted(result: ConversionResult) {
  if (!result.ok) throw new Error(`conversion refused: ${result.code}: ${result.message}`);
  return result;
}

/** Every node of a type, in document order. */
export function nodesOf(content: JSONContent, type: string): JSONContent[] {
  const out: JSONContent[] = [];
  const visit = (node: JSONContent) => {
    if (node.type === type) out.push(node);
    for (const child of node.content ?? []) visit(child);
  };
  visit(content);
  return out;
}

/** A textblock's words. */
export function textOf(node: JSONContent): string {
  if (node.type === "text") return node.text ?? "";
  return (node.content ?? []).map(textOf).join("");
}

/** The essay as the library imports it. */
export function essay() {
  return importText(readFileSync(ESSAY_PATH, "utf8"));
}

/** White space collapsed (PDF lines and HTML source wrap differently). */
export const squash = (text: string) => text.replace(/\s+/g, " ").trim();

/** Each expected string occurs in `actual`, in order. */
export function expectInOrder(
  actual: string[],
  expected: string[],
  normalise: (s: string) => string = (s) => s,
) {
  let at = 0;
  const haystack = actual.map(normalise);
  for (const want of expected.map(normalise)) {
    const found = haystack.findIndex((have, i) => i >= at && have === want);
    expect(found, `expected, in order: ${want.slice(0, 80)}…`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

/** The essay's body paragraphs and its referenced notes, as text. */
export function essayParts() {
  const doc = essay().content;
  const body = (doc.content ?? [])
    .filter((node) => node.type === "paragraph" || node.type === "blockquote")
    .map(textOf);
  const notes = nodesOf(doc, "footnote")
    .filter((note) => note.attrs?.hasReference)
    .map(textOf);
  return { body, notes };
}
