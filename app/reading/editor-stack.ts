/**
 * The libraries the live page is built on (ProseMirror, Tiptap, the Yjs binding and the
 * reading's schema), loaded a step before the page's own code: evaluating all of it at once
 * was one long task on a slow machine, two shorter ones leave the browser room between them
 * (docs/adr/0034). Re-exported only so that loading this module evaluates them.
 */
export { Editor } from "@tiptap/core";
export { EditorContent } from "@tiptap/react";
export { EditorView } from "@tiptap/pm/view";
export { ySyncPlugin } from "@tiptap/y-tiptap";
export { default as Collaboration } from "@tiptap/extension-collaboration";
export { readingExtensions } from "@/lib/shared/schema/reading-extensions";
