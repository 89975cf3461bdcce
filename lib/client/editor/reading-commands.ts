/**
 * Keyboard commands of the reading page (every one also has a button):
 * select the current sentence or paragraph (for people who cannot drag), and
 * act on the selection — highlight, comment, private note, guiding question.
 */
import { Extension } from "@tiptap/core";
import type { EditorState } from "@tiptap/pm/state";
import { TextSelection } from "@tiptap/pm/state";

/** The actions the shortcuts ask for. */
export type ReadingCommand = "highlight" | "comment" | "note" | "question";

/**
 * The DOM event a shortcut dispatches on the editor; the page listens for
 * it with its current handlers (the extension outlives React renders).
 */
export const READING_COMMAND_EVENT = "marginalia:reading-command";

/** The shortcuts, for the help dialog. */
export const READING_SHORTCUTS = [
  { keys: "Ctrl+Alt+S", label: "Select the sentence at the caret" },
  { keys: "Ctrl+Alt+P", label: "Select the paragraph at the caret" },
  { keys: "Ctrl+Alt+H", label: "Highlight the selection" },
  { keys: "Ctrl+Alt+M", label: "Comment on the selection" },
  { keys: "Ctrl+Alt+N", label: "Private note on the selection" },
  { keys: "Ctrl+Alt+G", label: "Guiding question on the selection (instructors)" },
] as const;

/** The range of the sentence around the selection's head, within its textblock; null outside text. */
export function sentenceRange(state: EditorState): { from: number; to: number } | null {
  const { $head } = state.selection;
  const block = $head.parent;
  if (!block.isTextblock || block.content.size === 0) return null;
  const start = $head.start();
  // Leaf nodes count as one character, so offsets equal position offsets.
  const text = block.textBetween(0, block.content.size, undefined, "\uFFFC");
  const offset = $head.parentOffset;
  const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
  for (const segment of segmenter.segment(text)) {
    const end = segment.index + segment.segment.length;
    if (offset >= segment.index && (offset < end || end === text.length)) {
      const trimmed = segment.segment.replace(/\s+$/, "");
      return { from: start + segment.index, to: start + segment.index + trimmed.length };
    }
  }
  return null;
}

/** The range of the textblock around the selection's head. */
export function paragraphRange(state: EditorState): { from: number; to: number } | null {
  const { $head } = state.selection;
  if (!$head.parent.isTextblock || $head.parent.content.size === 0) return null;
  return { from: $head.start(), to: $head.end() };
}

/** The reading page's commands and shortcuts. */
export const ReadingCommands = Extension.create({
  name: "readingCommands",
  addKeyboardShortcuts() {
    const select = (range: { from: number; to: number } | null) => {
      if (!range) return false;
      const { state, view } = this.editor;
      view.dispatch(
        state.tr.setSelection(TextSelection.create(state.doc, range.from, range.to)).scrollIntoView(),
      );
      return true;
    };
    const run = (command: ReadingCommand) => () => {
      this.editor.view.dom.dispatchEvent(
        new CustomEvent(READING_COMMAND_EVENT, { detail: command, bubbles: true }),
      );
      return true;
    };
    return {
      "Mod-Alt-s": () => select(sentenceRange(this.editor.state)),
      "Mod-Alt-p": () => select(paragraphRange(this.editor.state)),
      "Mod-Alt-h": run("highlight"),
      "Mod-Alt-m": run("comment"),
      "Mod-Alt-n": run("note"),
      "Mod-Alt-g": run("question"),
    };
  },
});
