import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createAnchor } from "@/lib/shared/anchors/anchor";
import { EditingSession, findRange, seedTextRoom } from "@/lib/shared/anchors/anchor-test-kit";
import { readPrivateNotes } from "@/lib/shared/annotations/threads";
import { commentBodyToText, textToCommentBody } from "@/lib/shared/comments/comment-body";
import { createPrivateNote, deletePrivateNote, editPrivateNote } from "./private-notes";

const me = { id: "u1", name: "Ana" };

/** An anchor on `phrase` in a small text, made as the editor makes it. */
function anchorOn(phrase: string) {
  const { doc, fragment } = seedTextRoom({
    type: "doc",
    content: [{ type: "paragraph", content: [{ type: "text", text: "It was the best of times." }] }],
  });
  const { pmDoc } = new EditingSession(doc, fragment);
  return createAnchor({ doc, fragment, pmDoc, ...findRange(pmDoc, phrase) });
}

/** The notes as the margin reads them: id → the note's words and whether it shows as edited. */
function notesIn(notesDoc: Y.Doc) {
  return Object.fromEntries(
    readPrivateNotes(notesDoc, me).map((thread) => {
      const [comment] = thread.comments;
      return [thread.id, { text: commentBodyToText(comment!.body!), isEdited: comment!.editedAt !== null }];
    }),
  );
}

describe("private notes in the reader's notes room", () => {
  it("writes a note the margin reads back as the reader's private thread on the passage", () => {
    const notesDoc = new Y.Doc();
    const anchor = anchorOn("best of times");
    createPrivateNote(
      notesDoc,
      { id: "n1", anchor, body: textToCommentBody("irony?") },
      "2026-01-01T00:00:00.000Z",
    );

    const [thread] = readPrivateNotes(notesDoc, me);
    expect(thread).toMatchObject({
      id: "n1",
      kind: "NOTE",
      layer: "private",
      anchor,
      createdAt: "2026-01-01T00:00:00.000Z",
      status: "committed",
    });
    expect(notesIn(notesDoc)).toEqual({ n1: { text: "irony?", isEdited: false } });
  });

  it("rewrites a note's words and marks it edited, keeping when it was written", () => {
    const notesDoc = new Y.Doc();
    createPrivateNote(
      notesDoc,
      { id: "n1", anchor: anchorOn("best"), body: textToCommentBody("a") },
      "2026-01-01T00:00:00.000Z",
    );
    editPrivateNote(notesDoc, "n1", textToCommentBody("b"), "2026-01-02T00:00:00.000Z");

    expect(notesIn(notesDoc)).toEqual({ n1: { text: "b", isEdited: true } });
    expect(readPrivateNotes(notesDoc, me)[0]?.createdAt).toBe("2026-01-01T00:00:00.000Z");
  });

  it("does not bring back a note that was deleted (in another tab, say) when it is edited", () => {
    const notesDoc = new Y.Doc();
    createPrivateNote(notesDoc, { id: "n1", anchor: anchorOn("best"), body: textToCommentBody("a") });
    createPrivateNote(notesDoc, { id: "n2", anchor: anchorOn("times"), body: textToCommentBody("b") });
    deletePrivateNote(notesDoc, "n1");
    editPrivateNote(notesDoc, "n1", textToCommentBody("again"));

    expect(notesIn(notesDoc)).toEqual({ n2: { text: "b", isEdited: false } });
  });
});
