/**
 * Keeps the text read-only for readers who may not edit it, while leaving
 * the editor focusable: readers still move a caret and select with the
 * keyboard, and others see their selection. Changes from the collaboration
 * binding (the server's state) always pass.
 */
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";

/** The read-only guard. */
export const ReadOnlyText = Extension.create<{ isReadOnly: boolean }>({
  name: "readOnlyText",
  addOptions: () => ({ isReadOnly: true }),
  addProseMirrorPlugins() {
    const { isReadOnly } = this.options;
    return [
      new Plugin({
        key: new PluginKey("readOnlyText"),
        filterTransaction: (transaction) =>
          !isReadOnly || !transaction.docChanged || transaction.getMeta(ySyncPluginKey) !== undefined,
      }),
    ];
  },
});
