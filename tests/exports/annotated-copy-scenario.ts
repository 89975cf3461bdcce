/**
 * A seminar's discussion of the essay for the annotated-copy tests (HTML and
 * PDF), made through the domain functions the API calls: overlapping
 * highlights, a pinned guiding question with a long exchange, one thread far
 * too long for any margin, a resolved thread, nested, deleted and hidden
 * replies, a comment in the essay's own notes, hostile-looking text, a
 * private note, and a thread whose paragraph the instructor then deleted
 * from the text (detached).
 */
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { createComment } from "../../lib/server/annotations/create-comment";
import { deleteComment } from "../../lib/server/annotations/delete-comment";
import { updateAnnotation } from "../../lib/server/annotations/update-annotation";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { loadExportData, type ExportData } from "../../lib/server/exports/load-export-data";
import { textToCommentBody, type CommentBody } from "../../lib/shared/comments/comment-body";
import { anchorOn } from "../helpers/anchors";
import { deleteParagraph, writePrivateNote } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";

let counter = 0;
const clientId = () => `c${Date.now().toString(36)}${(counter++).toString(36).padStart(12, "0")}`;

/** A comment that looks like markup; it must show as text. */
export const HOSTILE_TEXT = `Careful: <img src=x onerror=alert(1)> is not "evidence" & <b>bold</b> isn't either.`;

/** A body with a safe link and formatting. */
const LINKED_BODY: CommentBody = {
  type: "doc",
  content: [
    {
      type: "paragraph",
      content: [
        { type: "text", text: "Breton’s phrase comes from his " },
        { type: "text", text: "visit to Mexico in 1938", marks: [{ type: "italic" }] },
        { type: "text", text: "; see " },
        {
          type: "text",
          text: "the exhibition notes",
          marks: [{ type: "link", attrs: { href: "https://example.org/breton-mexico" } }],
        },
        { type: "text", text: "." },
      ],
    },
  ],
};

/** The long exchange under the guiding question (each reply a full paragraph). */
const QUESTION_REPLIES = [
  "Sovereignty first: Mexico decides whom it shelters, and says so against the great powers’ refusals.",
  "I read it as solidarity too. The same years Mexico takes in 30,000 Spanish refugees, so Trotsky is not an exception but part of a policy.",
  "But solidarity with whom? Cárdenas did not share Trotsky’s ideas, and Gall insists on that later. Principle seems closer than sympathy.",
  "Then the word “privilege” matters: it is the exile’s privilege, granted by law, not a favour of the president.",
];

/** A thread far longer than any page's margin: it has to continue in the endnotes of the PDF. */
export const LONG_THREAD_REPLIES = Array.from({ length: 14 }, (_, i) =>
  [
    `Reply ${i + 1} on the Common Law passage.`,
    "The letter frames asylum as a conquest of law rather than as a gift of the state, which is why Cárdenas can present it as continuity and not as a provocation.",
    i % 2 === 0
      ? "Compare the instructions to Eduardo Hay with the refusal to renew relations with Moscow: both are argued from principle, and both are addressed as much to Washington as to the Mexican public."
      : "It would help to know who drafted the letter: the Foreign Ministry’s legal advisers, or Múgica’s people in the cabinet.",
  ].join(" "),
);

/** The phrases threads are anchored on, in reading order. */
export const PHRASES = {
  pity: "raging dogs that must be brought down with no pity!",
  breton: "the world became a planet with no visa for León Trotsky.",
  outer: "the savage, the exotic Mexico that had become famous during its own revolution",
  inner: "the exotic Mexico",
  question: "Why did Cárdenas decide to grant asylum to León Trotsky?",
  resolved: "In exactly five minutes",
  longThread: "one of the most humane conquests that Common Law has already achieved",
  detached: "the rest of the world seemed to have completely forgotten them",
  privateNote: "a beacon in the deep, growing and violent political waters of that period",
  hostile: "a group of foreigners is judging another foreigner on Mexican soil",
  footnote: "At the end of 1937 they published their verdict",
};

/** The paragraph the instructor deletes (it holds {@link PHRASES.detached}). */
const DELETED_PARAGRAPH_START = "Why were these basic principles";

/** Builds the discussion; returns the people and a loader for the export as the exporter sees it. */
export async function buildAnnotatedCopyScenario() {
  const instructor = await buildUser({ name: "Elena Marín" });
  const tomas = await buildUser({ name: "Tomás Herrera" });
  const priya = await buildUser({ name: "Priya Nair" });
  const seminar = await buildSeminar({ instructor, students: [tomas, priya] });
  const documentId = seminar.documentId as string;
  const as = (user: { id: string }) => ({ userId: user.id });
  const category = async (name: string) =>
    (await db.category.findFirstOrThrow({ where: { seminarId: seminar.id, name } })).id;

  const annotate = async (
    user: { id: string },
    kind: "HIGHLIGHT" | "COMMENT" | "GUIDING_QUESTION",
    phrase: string,
    extra: { body?: CommentBody; categoryId?: string } = {},
  ) => {
    const id = clientId();
    await createAnnotation(as(user), seminar.id, documentId, {
      id,
      kind,
      anchor: await anchorOn(documentId, phrase),
      ...(extra.body ? { body: extra.body, commentId: clientId() } : {}),
      ...(extra.categoryId ? { categoryId: extra.categoryId } : {}),
    });
    return id;
  };
  const reply = async (user: { id: string }, annotationId: string, text: string, parentId?: string) => {
    const id = clientId();
    await createComment(as(user), annotationId, {
      id,
      body: textToCommentBody(text),
      ...(parentId ? { parentId } : {}),
    });
    return id;
  };

  await annotate(tomas, "HIGHLIGHT", PHRASES.pity, { categoryId: await category("Evidence") });
  await annotate(priya, "COMMENT", PHRASES.breton, { body: LINKED_BODY });
  // Overlapping: the outer highlight first, then a comment inside it.
  const outer = await annotate(tomas, "HIGHLIGHT", PHRASES.outer, { categoryId: await category("Context") });
  const inner = await annotate(priya, "COMMENT", PHRASES.inner, {
    body: textToCommentBody(
      "Gall borrows the colonial gaze here to turn it around, surely not to endorse it.",
    ),
    categoryId: await category("Key claim"),
  });
  const innerReply = await reply(tomas, inner, "Agreed. Compare “the civilized world” a few words earlier.");
  await reply(instructor, inner, "Good. Who is the “civilized world” in 1936, for Gall?", innerReply);
  await reply(priya, outer, "Why Context and not Key claim?");

  const question = await annotate(instructor, "GUIDING_QUESTION", PHRASES.question, {
    body: textToCommentBody("What reasons does Gall give, and which one does she find decisive?"),
  });
  await updateAnnotation(as(instructor), question, { pinned: true });
  let parent: string | undefined;
  for (const [i, text] of QUESTION_REPLIES.entries()) {
    const author = i % 2 === 0 ? tomas : priya;
    parent = await reply(author, question, text, i === 0 ? undefined : parent);
  }
  const deleted = await reply(tomas, question, "DELETED-REPLY-7c1e should not be shown.");
  await deleteComment(as(tomas), deleted);

  const resolved = await annotate(tomas, "COMMENT", PHRASES.resolved, {
    body: textToCommentBody("Five minutes! Is this literally true?"),
  });
  await reply(instructor, resolved, "Fernández’s own testimony says so (note 4). Resolved.");
  await updateAnnotation(as(instructor), resolved, { resolved: true });

  const long = await annotate(priya, "COMMENT", PHRASES.longThread, {
    body: textToCommentBody("Why “conquest”? The word turns a concession into a victory of law."),
    categoryId: await category("Question"),
  });
  for (const [i, text] of LONG_THREAD_REPLIES.entries()) await reply(i % 2 ? priya : tomas, long, text);

  await annotate(tomas, "COMMENT", PHRASES.detached, {
    body: textToCommentBody("Gall’s question for the whole essay: track her answers."),
  });

  const hostile = await annotate(tomas, "COMMENT", PHRASES.hostile, {
    body: textToCommentBody(HOSTILE_TEXT),
  });
  const hidden = await reply(priya, hostile, "HIDDEN-REPLY-9d2a should not be shown.");
  await updateComment(as(instructor), hidden, { hidden: true });

  await annotate(instructor, "COMMENT", PHRASES.footnote, {
    body: textToCommentBody("The Commission’s verdict appears only in a note: why not in the text?"),
  });

  await writePrivateNote(documentId, priya.id, {
    phrase: PHRASES.privateNote,
    text: "My own reading: the beacon metaphor is Gall’s, not Cárdenas’. Ask on Thursday.",
  });

  await deleteParagraph(documentId, DELETED_PARAGRAPH_START);

  /** The export as Priya makes it: the seminar's threads and her private notes. */
  const load = (options: Record<string, unknown> = {}): Promise<ExportData> =>
    loadExportData(as(priya), seminar.id, documentId, { layers: "both", ...options });
  /** The seminar's threads as its instructor exports them (hidden words included, marked). */
  const loadAsInstructor = (): Promise<ExportData> =>
    loadExportData(as(instructor), seminar.id, documentId, {});
  return { seminar, documentId, instructor, tomas, priya, load, loadAsInstructor };
}

/** Letters only, lower-cased: how the tests compare text read back from a PDF or a page. */
export function lettersOf(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}]+/gu, "");
}
