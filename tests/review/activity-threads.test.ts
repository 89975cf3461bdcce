import { beforeAll, describe, expect, it } from "vitest";
import { deleteAnnotation } from "../../lib/server/annotations/delete-annotation";
import { deleteComment } from "../../lib/server/annotations/delete-comment";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { findActivityThreads } from "../../lib/server/review/activity-threads";
import { countWords, findThreadRows, splitComments } from "../../lib/server/review/thread-rows";
import { buildSeminar, buildUser } from "../helpers/factories";
import { reply, startThread } from "../helpers/discussion";

/**
 * The counting views (participation, grades, the paragraph strip) read a lean
 * form of the discussion; it must say what the review's full rows say, by the
 * rule splitComments applies: which comments are live, and which one opened
 * its thread.
 */
describe("findActivityThreads", () => {
  let seminar: Awaited<ReturnType<typeof buildSeminar>>;

  beforeAll(async () => {
    const sol = await buildUser({ name: "Sol" });
    const ona = await buildUser({ name: "Ona" });
    seminar = await buildSeminar({ students: [sol, ona] });
    const iris = seminar.instructor;
    // A comment thread with replies, one hidden (it stays), one deleted (it goes).
    const thread = await startThread(sol, seminar, {
      kind: "COMMENT",
      phrase: "Mexico",
      text: "Why here, of all places?",
    });
    await reply(ona, thread, "Because of the murals.");
    const hidden = await reply(ona, thread, "Perhaps the surrealists.");
    await updateComment({ userId: iris.id }, hidden, { hidden: true });
    await deleteComment({ userId: ona.id }, await reply(ona, thread, "Never mind."));
    // A guiding question whose opening comment was deleted: what follows are replies.
    const question = await startThread(iris, seminar, {
      kind: "GUIDING_QUESTION",
      phrase: "the savage",
      text: "Whose gaze is this?",
    });
    await reply(sol, question, "The   civilized\tworld's gaze.");
    const [opening] = (
      await findThreadRows(seminar.id, seminar.documentId as string, { id: question })
    ).flatMap((row) => row.comments);
    await deleteComment({ userId: iris.id }, opening?.id as string);
    // A highlight, whose comments are all replies, and one without any.
    const highlight = await startThread(ona, seminar, { kind: "HIGHLIGHT", phrase: "Diego Rivera" });
    await reply(sol, highlight, "Yes.");
    await reply(iris, highlight, "Say more.");
    await startThread(sol, seminar, { kind: "HIGHLIGHT", phrase: "muralist" });
    // A deleted thread, and a thread of another seminar: neither is read.
    await deleteAnnotation(
      { userId: sol.id },
      await startThread(sol, seminar, { kind: "COMMENT", phrase: "exotic", text: "Gone." }),
    );
    await startThread(iris, await buildSeminar({ instructor: iris }), {
      kind: "COMMENT",
      phrase: "Mexico",
      text: "Elsewhere.",
    });
  });

  it("reads each live thread with its live comments as splitComments reads the full rows", async () => {
    const documentId = seminar.documentId as string;
    const expected = (await findThreadRows(seminar.id, documentId)).map((row) => {
      const { opening, replies } = splitComments(row);
      return {
        id: row.id,
        kind: row.kind,
        authorId: row.authorId,
        createdAt: row.createdAt,
        comments: (opening ? [opening, ...replies] : replies).map((comment) => ({
          authorId: comment.authorId,
          createdAt: comment.createdAt,
          words: countWords(comment.bodyText),
          opens: comment === opening,
        })),
      };
    });
    const read = await findActivityThreads(seminar.id, documentId);
    expect(read).toStrictEqual(expected);
    // What the discussion above holds, so that the comparison compares something.
    expect(read.map((thread) => [thread.kind, thread.comments.map((comment) => comment.opens)])).toEqual([
      ["COMMENT", [true, false, false]],
      ["GUIDING_QUESTION", [false]],
      ["HIGHLIGHT", [false, false]],
      ["HIGHLIGHT", []],
    ]);
    expect(read[1]?.comments[0]?.words).toBe(4);
  });
});
