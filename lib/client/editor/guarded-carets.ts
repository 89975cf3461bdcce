/**
 * Readers' carets and selections (ADR 0006), skipping remote awareness states the caret
 * renderer cannot draw.
 *
 * @tiptap/extension-collaboration-caret hands every remote state's `cursor` to
 * @tiptap/y-tiptap's cursor plugin, which throws on a cursor that is not a pair of relative
 * positions, and that error takes the whole page down. The server already drops such fields
 * (server/collab/awareness-filter.ts); this guard keeps a page up even when a state gets
 * through anyway (another server version, a bug), by passing the plugin an
 * `awarenessStateFilter` that refuses states of the wrong shape.
 */
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { yCursorPlugin } from "@tiptap/y-tiptap";
import type { Plugin } from "@tiptap/pm/state";
import type { DecorationAttrs } from "@tiptap/pm/view";
import type { Awareness } from "y-protocols/awareness";
import { isRenderableCaretState } from "@/lib/shared/awareness-shape";

/** Which remote states the caret plugin draws: not our own, and only well-formed ones. */
export function shouldRenderCaret(ownClientId: number, clientId: number, state: unknown): boolean {
  return ownClientId !== clientId && isRenderableCaretState(state);
}

export const GuardedCollaborationCaret = CollaborationCaret.extend({
  addProseMirrorPlugins() {
    // The extension's own plugins: its awareness listener first, then the cursor plugin,
    // which is rebuilt here with the filter (the rest of its options as the extension sets them).
    const [listener] = this.parent?.() ?? [];
    const options = this.options as {
      provider: { awareness: Awareness };
      render: (user: Record<string, unknown>) => HTMLElement;
      selectionRender: (user: Record<string, unknown>) => DecorationAttrs;
    };
    const cursors = yCursorPlugin(options.provider.awareness, {
      awarenessStateFilter: shouldRenderCaret,
      cursorBuilder: (user: Record<string, unknown>) => options.render(user),
      selectionBuilder: (user: Record<string, unknown>) => options.selectionRender(user),
    }) as Plugin;
    return listener ? [listener, cursors] : [cursors];
  },
});
