/**
 * Test support for anchors: a text room seeded as the server seeds it, and an
 * editing session that changes it exactly as the editor does, without a DOM.
 *
 * Tiptap's `Editor` needs a window, so the session plays the part of
 * y-tiptap's sync plugin instead: it renders the fragment with
 * `initProseMirrorDoc`, applies a ProseMirror transaction, and writes the new
 * document back with `updateYFragment`, the very diff the plugin runs after
 * each local transaction.
 */
import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import { EditorState, type Transaction } from "@tiptap/pm/state";
import {
  initProseMirrorDoc,
  prosemirrorJSONToYXmlFragment,
  updateYFragment,
  ySyncPluginKey,
} from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { ROOT_TYPES } from "../rooms";
import { getReadingSchema } from "../schema/reading-schema";
import { buildTextIndex, textOffsetToPos } from "./text-index";

/** The binding's metadata: which Yjs type renders as which ProseMirror node. */
type BindingMeta = ReturnType<typeof initProseMirrorDoc>["meta"];

/** A new text room holding `content` (ProseMirror JSON in the reading schema). */
export function seedTextRoom(content: JSONContent, schema: Schema = getReadingSchema()) {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(ROOT_TYPES.text);
  prosemirrorJSONToYXmlFragment(schema, content, fragment);
  return { doc, fragment };
}

/** A copy of a room's document, as a second client that has synced holds it. */
export function cloneDoc(doc: Y.Doc): { doc: Y.Doc; fragment: Y.XmlFragment } {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return { doc: copy, fragment: copy.getXmlFragment(ROOT_TYPES.text) };
}

/** Exchanges what each document lacks, both ways. */
export function syncDocs(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** One client editing a text room, as the editor with y-tiptap's sync plugin would. */
export class EditingSession {
  /** The ProseMirror document of the fragment's current state. */
  pmDoc: PMNode;
  private meta: BindingMeta;

  constructor(
    readonly doc: Y.Doc,
    readonly fragment: Y.XmlFragment,
    readonly schema: Schema = getReadingSchema(),
  ) {
    const rendered = initProseMirrorDoc(fragment, schema);
    this.pmDoc = rendered.doc;
    this.meta = rendered.meta;
  }

  /** Applies a local edit and writes it to the Y.Doc, then renders the result. */
  edit(change: (tr: Transaction) => void): void {
    const tr = EditorState.create({ doc: this.pmDoc }).tr;
    change(tr);
    this.doc.transact(() => {
      updateYFragment(this.doc, this.fragment, tr.doc, this.meta);
    }, ySyncPluginKey);
    this.refresh();
  }

  /** Renders the fragment again (after remote updates). */
  refresh(): void {
    const rendered = initProseMirrorDoc(this.fragment, this.schema);
    this.pmDoc = rendered.doc;
    this.meta = rendered.meta;
  }
}

/** The ProseMirror range of the `occurrence`-th (0-based) appearance of `needle` in the plain text. */
export function findRange(pmDoc: PMNode, needle: string, occurrence = 0): { from: number; to: number } {
  const { text, runs } = buildTextIndex(pmDoc);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`"${needle}" occurs fewer than ${occurrence + 1} times.`);
  }
  const from = textOffsetToPos(runs, at);
  // Just after the last character, so a footnote reference after it stays outside.
  const last = textOffsetToPos(runs, at + needle.length - 1);
  if (from === null || last === null || needle.length === 0)
    throw new Error(`"${needle}" is not in the text.`);
  return { from, to: last + 1 };
}

/** The plain text between two ProseMirror positions, as anchors quote it. */
export function plainTextBetween(pmDoc: PMNode, from: number, to: number): string {
  return pmDoc.textBetween(from, to, "\n");
}
