import { getSchema } from "@tiptap/core";
import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import { readingExtensions } from "./reading-extensions";

let cached: Schema | null = null;

/** The ProseMirror schema of the reading extensions (built once). */
export function getReadingSchema(): Schema {
  cached ??= getSchema(readingExtensions());
  return cached;
}

/** Builds and checks a document node from JSON; throws when it does not fit the schema. */
export function readingDocFromJSON(json: unknown): PMNode {
  const node = getReadingSchema().nodeFromJSON(json);
  node.check();
  return node;
}
