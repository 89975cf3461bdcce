/**
 * A realistic discussion to export, made through the same domain functions
 * the API calls: highlights (one across a note reference, two overlapping),
 * comments with rich bodies and hostile-looking text, flat and nested
 * replies, a pinned guiding question, a resolved thread, a deleted and a
 * hidden reply, a thread whose paragraph the instructor then deleted from
 * the text (detached), and private notes of two students.
 */
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { createComment } from "../../lib/server/annotations/create-comment";
import { deleteComment } from "../../lib/server/annotations/delete-comment";
import { updateAnnotation } from "../../lib/server/annotations/update-annotation";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { textToCommentBody, type CommentBody } from "../../lib/shared/comments/comment-body";
import { anchorOn } from "../helpers/anchors";
import { deleteParagraph, writePrivateNote } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";

let counter = 0;
/** A client id as the browser makes them. */
export const clientId = () => `x${Date.now().toString(36)}${(counter++).toString(36).padStart(12, "0")}`;

/** Words that must never appear in an export made by anyone but their author. */
export const SECRETS = {
  sofiaNote: "SOFIA-PRIVATE-NOTE-7d1c",
  omarNote: "OMAR-PRIVATE-NOTE-93ab",
  hiddenReply: "HIDDEN-REPLY-WORDS-5e2f",
  deletedReply: "DELETED-REPLY-WORDS-0c4d",
};

/** A comment with every kind of formatting comment bodies allow. */
export const RICH_BODY: CommentBody = {
  type: "doc",
  content: [
    {
      type: "paragraph",
      content: [
        { type: "text", text: "Rivera " },
        { type: "text", text: "matters", marks: [{ type: "bold" }] },
        { type: "text", text: " here — see " },
        {
          type: "text",
          text: "his murals",
          marks: [{ type: "link", attrs: { href: "https://example.org/murals" } }],
        },
        { type: "text", text: "." },
      ],
    },
    {
      type: "bulletList",
      content: [
        {
          type: "listItem",
          content: [{ type: "paragraph", content: [{ type: "text", text: "a painter" }] }],
        },
        {
          type: "listItem",
          content: [{ type: "paragraph", content: [{ type: "text", text: "a militant" }] }],
        },
      ],
    },
  ],
};

/** A reply that would be markup, a link or a list if an export did not escape it. */
export const HOSTILE_TEXT =
  "<img src=x onerror=alert(1)> *not emphasis* [a](javascript:alert(1)) # not a heading\n- not a list";

/** The phrases threads are anchored on. */
export const PHRASES = {
  highlight: "the savage, the exotic Mexico",
  acrossReference: "with no pity!” These were",
  outer: "Diego Rivera, the famous Mexican muralist",
  inner: "the famous Mexican muralist",
  question: "Why did Cárdenas decide to grant asylum to León Trotsky?",
  formula: "Octavio Fernández",
  resolved: "In exactly five minutes",
  detached: "basic principles of the Right of Asylum",
};

/** The deleted paragraph (it holds {@link PHRASES.detached}). */
const DELETED_PARAGRAPH_START = "Why were these basic principles";

/** Builds the discussion; returns who is who and the ids of what was made. */
export async function buildExportScenario() {
  const instructor = await buildUser({ name: "Irene Instructor" });
  const sofia = await buildUser({ name: "Sofía Estudiante" });
  const omar = await buildUser({ name: "Omar Other" });
  const seminar = await buildSeminar({ instructor, students: [sofia, omar] });
  const documentId = seminar.documentId as string;
  const as = (user: { id: string }) => ({ userId: user.id });
  const evidence = await db.category.findFirstOrThrow({ where: { seminarId: seminar.id, name: "Evidence" } });
  const context = await db.category.findFirstOrThrow({ where: { seminarId: seminar.id, name: "Context" } });

  const ids = {
    highlight: clientId(),
    acrossReference: clientId(),
    outer: clientId(),
    outerRoot: clientId(),
    inner: clientId(),
    question: clientId(),
    questionRoot: clientId(),
    formula: clientId(),
    formulaRoot: clientId(),
    resolved: clientId(),
    resolvedRoot: clientId(),
    detached: clientId(),
    detachedRoot: clientId(),
    replyFlat: clientId(),
    replyNested: clientId(),
    replyQuestion: clientId(),
    replyDeleted: clientId(),
    replyHidden: clientId(),
    replyToHighlight: clientId(),
    replyHostile: clientId(),
    sofiaNote: `note-${clientId()}`,
    omarNote: `note-${clientId()}`,
  };

  const annotate = async (
    user: { id: string },
    id: string,
    kind: "HIGHLIGHT" | "COMMENT" | "GUIDING_QUESTION",
    phrase: string,
    extra: Record<string, unknown> = {},
  ) =>
    createAnnotation(as(user), seminar.id, documentId, {
      id,
      kind,
      anchor: await anchorOn(documentId, phrase),
      ...extra,
    });

  await annotate(sofia, ids.highlight, "HIGHLIGHT", PHRASES.highlight, { categoryId: evidence.id });
  await annotate(omar, ids.acrossReference, "HIGHLIGHT", PHRASES.acrossReference, { categoryId: context.id });
  await annotate(omar, ids.outer, "COMMENT", PHRASES.outer, { body: RICH_BODY, commentId: ids.outerRoot });
  await annotate(sofia, ids.inner, "HIGHLIGHT", PHRASES.inner);
  await annotate(instructor, ids.question, "GUIDING_QUESTION", PHRASES.question, {
    body: textToCommentBody("Why would a revolutionary government take this risk?\nThink about 1936."),
    commentId: ids.questionRoot,
  });
  await updateAnnotation(as(instructor), ids.question, { pinned: true });
  await annotate(omar, ids.formula, "COMMENT", PHRASES.formula, {
    body: textToCommentBody('=HYPERLINK("http://evil.example","click"), said "Octavio"; then,\nlater: +1'),
    commentId: ids.formulaRoot,
  });
  await annotate(sofia, ids.resolved, "COMMENT", PHRASES.resolved, {
    body: textToCommentBody("Five minutes! Is this literally true?"),
    commentId: ids.resolvedRoot,
  });
  await updateAnnotation(as(instructor), ids.resolved, { resolved: true });
  await annotate(sofia, ids.detached, "COMMENT", PHRASES.detached, {
    body: textToCommentBody("These principles are the heart of the essay."),
    commentId: ids.detachedRoot,
  });

  await createComment(as(instructor), ids.outer, {
    id: ids.replyFlat,
    body: textToCommentBody("Good — and what did Rivera gain?"),
  });
  await createComment(as(sofia), ids.outer, {
    id: ids.replyNested,
    parentId: ids.replyFlat,
    body: textToCommentBody("A famous guest, and trouble."),
  });
  await createComment(as(sofia), ids.question, {
    id: ids.replyQuestion,
    body: textToCommentBody("Sovereignty: Mexico decides whom it shelters."),
  });
  await createComment(as(omar), ids.question, {
    id: ids.replyDeleted,
    body: textToCommentBody(SECRETS.deletedReply),
  });
  await deleteComment(as(omar), ids.replyDeleted);
  await createComment(as(omar), ids.formula, {
    id: ids.replyHidden,
    body: textToCommentBody(SECRETS.hiddenReply),
  });
  await updateComment(as(instructor), ids.replyHidden, { hidden: true });
  await createComment(as(omar), ids.resolved, {
    id: ids.replyHostile,
    body: textToCommentBody(HOSTILE_TEXT),
  });
  await createComment(as(omar), ids.highlight, {
    id: ids.replyToHighlight,
    body: textToCommentBody("@Sofía why Evidence?"),
  });

  await writePrivateNote(documentId, sofia.id, {
    id: ids.sofiaNote,
    phrase: PHRASES.highlight,
    text: `${SECRETS.sofiaNote} — ask about this`,
  });
  await writePrivateNote(documentId, omar.id, {
    id: ids.omarNote,
    phrase: PHRASES.question,
    text: `${SECRETS.omarNote} mine only`,
  });

  await deleteParagraph(documentId, DELETED_PARAGRAPH_START);

  return { seminar, documentId, instructor, sofia, omar, ids, categories: { evidence, context } };
}
