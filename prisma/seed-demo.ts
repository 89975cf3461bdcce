/**
 * The demo seminar, for trying the app: created by `npm start` on a new
 * database and by `npm run seed:demo`. These are the only accounts with a
 * known password that Marginalia ever creates.
 */
import { DEFAULT_CATEGORIES } from "../lib/shared/categories";

/** The password of every demo account. */
export const DEMO_PASSWORD = "marginalia-demo";
/** The demo seminar's title. */
export const DEMO_SEMINAR_TITLE = "Mexico and the Right of Asylum";

/** The demo accounts. */
export const DEMO_USERS = [
  { email: "instructor@example.com", name: "Elena Marín", role: "INSTRUCTOR" },
  { email: "student1@example.com", name: "Tomás Herrera", role: "STUDENT" },
  { email: "student2@example.com", name: "Priya Nair", role: "STUDENT" },
] as const;

const ESSAY_SLUG = "trotsky-guest-of-the-revolution";

/** Creates what is missing of the demo seminar and its accounts; idempotent. Returns the logins. */
export async function seedDemo(now = new Date()) {
  const { db } = await import("../lib/server/db");
  const { hashPassword } = await import("../lib/server/auth/password");
  const { newInviteCode } = await import("../lib/server/seminars/create-seminar");

  const essay = await db.document.findUnique({ where: { slug: ESSAY_SLUG }, select: { id: true } });
  if (!essay) throw new Error(`The essay “${ESSAY_SLUG}” is not imported; seed the texts first.`);

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users: { email: string; name: string; role: "INSTRUCTOR" | "STUDENT"; id: string }[] = [];
  for (const demo of DEMO_USERS) {
    const user =
      (await db.user.findUnique({ where: { email: demo.email }, select: { id: true } })) ??
      (await db.user.create({
        data: { email: demo.email, name: demo.name, passwordHash },
        select: { id: true },
      }));
    users.push({ ...demo, id: user.id });
  }
  const instructor = users[0] as (typeof users)[number];

  await db.$transaction(async (tx) => {
    const existing = await tx.seminar.findFirst({
      where: { title: DEMO_SEMINAR_TITLE, createdById: instructor.id },
      select: { id: true },
    });
    const seminar =
      existing ??
      (await tx.seminar.create({
        data: {
          title: DEMO_SEMINAR_TITLE,
          description:
            "Why Mexico sheltered Trotsky in 1936, and what Cárdenas meant by the right of asylum.",
          createdById: instructor.id,
          categories: { create: DEFAULT_CATEGORIES.map((category, position) => ({ ...category, position })) },
          invites: { create: { code: newInviteCode(), createdById: instructor.id } },
        },
        select: { id: true },
      }));
    for (const user of users) {
      await tx.membership.upsert({
        where: { userId_seminarId: { userId: user.id, seminarId: seminar.id } },
        create: { userId: user.id, seminarId: seminar.id, role: user.role },
        update: {},
      });
    }
    await tx.reading.upsert({
      where: { seminarId_documentId: { seminarId: seminar.id, documentId: essay.id } },
      create: {
        seminarId: seminar.id,
        documentId: essay.id,
        dueAt: new Date(now.getTime() + 7 * 86_400_000),
        instruction:
          "Mark where Cárdenas’ reasons for granting asylum are stated, and how Gall supports them. Bring one question for the seminar.",
      },
      update: {},
    });
  });
  await seedDemoDiscussion();
  return users.map(({ email, role }) => ({ email, role }));
}

/** Prints the demo logins with the note that they are for trying the app. */
export function printDemoLogins(
  logins: { email: string; role: string }[],
  log: (line: string) => void = console.log,
) {
  log(
    `Demo seminar “${DEMO_SEMINAR_TITLE}”. These logins are for trying Marginalia (password: ${DEMO_PASSWORD}):`,
  );
  for (const login of logins)
    log(`  ${login.email.padEnd(26)} ${login.role === "INSTRUCTOR" ? "instructor" : "student"}`);
  log("They have a known password: do not keep them on a server other people can reach.");
}

/** The demo logins, if the demo instructor still has the demo password (so they still work). */
export async function findWorkingDemoLogins() {
  const { db } = await import("../lib/server/db");
  const { verifyPassword } = await import("../lib/server/auth/password");
  const instructor = await db.user.findUnique({
    where: { email: DEMO_USERS[0].email },
    select: { passwordHash: true },
  });
  if (!instructor?.passwordHash || !(await verifyPassword(instructor.passwordHash, DEMO_PASSWORD)))
    return null;
  return DEMO_USERS.map(({ email, role }) => ({ email, role }));
}

/** The demo seminar's reading (the essay), once seeded. */
export async function findDemoReading(): Promise<{ seminarId: string; documentId: string }> {
  const { db } = await import("../lib/server/db");
  const seminar = await db.seminar.findFirstOrThrow({
    where: { title: DEMO_SEMINAR_TITLE },
    select: { id: true, readings: { select: { documentId: true } } },
  });
  const documentId = seminar.readings[0]?.documentId;
  if (!documentId) throw new Error("The demo seminar has no reading.");
  return { seminarId: seminar.id, documentId };
}

type DemoNote = {
  by: 0 | 1 | 2;
  phrase: string;
  kind: "HIGHLIGHT" | "COMMENT" | "GUIDING_QUESTION";
  category?: string;
  text?: string;
  replies?: { by: 0 | 1 | 2; text: string }[];
  pinned?: boolean;
};

/** A discussion in progress: about a dozen annotations by the instructor and the two students. */
const DEMO_DISCUSSION: DemoNote[] = [
  {
    by: 0,
    phrase: "the privilege of asylum for all who have been exiled because of political reasons",
    kind: "GUIDING_QUESTION",
    text: "Whose privilege is asylum here: the state’s, or the exile’s? #asylum",
    pinned: true,
  },
  {
    by: 0,
    phrase: "Why were these basic principles of the Right of Asylum so clear to General Cárdenas",
    kind: "COMMENT",
    text: "This is Gall’s question for the whole essay. Track her answers: #sovereignty, #solidarity, and the utopia of cardenismo.",
  },
  {
    by: 1,
    phrase: "the savage, the exotic Mexico that had become famous during its own revolution",
    kind: "HIGHLIGHT",
    category: "Context",
  },
  {
    by: 1,
    phrase: "the savage, the exotic Mexico",
    kind: "COMMENT",
    text: "Gall borrows the colonial gaze here to turn it around, surely not to endorse it. #colonial-gaze",
    replies: [{ by: 2, text: "Agreed. Compare “the civilized world” a few words earlier." }],
  },
  {
    by: 2,
    phrase: "the world became a planet with no visa for León Trotsky",
    kind: "HIGHLIGHT",
    category: "Key claim",
  },
  {
    by: 1,
    phrase: "In exactly five minutes",
    kind: "COMMENT",
    text: "Five minutes! The decision seems to have been made before the meeting began.",
  },
  { by: 1, phrase: "his clear vision regarding sovereignty", kind: "HIGHLIGHT", category: "Key claim" },
  {
    by: 1,
    phrase: "guaranteed by the 27th Article of the Constitution that had been adopted in 1917",
    kind: "HIGHLIGHT",
    category: "Context",
  },
  {
    by: 2,
    phrase: "if we decided to renew our diplomatic relations with a country like Russia",
    kind: "COMMENT",
    category: "Question",
    text: "Is Cárdenas refusing Moscow out of principle, or out of strategy? #sovereignty",
    replies: [{ by: 0, text: "A good question for Thursday. What would count as evidence either way?" }],
  },
  { by: 2, phrase: "some 30,000 refugees from the war in Spain", kind: "HIGHLIGHT", category: "Evidence" },
  {
    by: 2,
    phrase: "a beacon in the deep, growing and violent political waters of that period",
    kind: "HIGHLIGHT",
    category: "Key claim",
  },
  {
    by: 0,
    phrase: "an attitude guided not by the Mexican president’s agreement with Trotsky’s ideas",
    kind: "COMMENT",
    text: "Keep this distinction in mind for the final essay.",
  },
  {
    by: 0,
    phrase: "The Dewey Commission was basically constituted by American liberals",
    kind: "HIGHLIGHT",
    category: "Evidence",
  },
];

/** Adds the demo discussion to the demo seminar's reading, if it has no annotations yet. Idempotent. */
export async function seedDemoDiscussion(): Promise<number> {
  const { db } = await import("../lib/server/db");
  const { anchorOnPhrase } = await import("../lib/server/annotations/anchor-on-phrase");
  const { createAnnotation } = await import("../lib/server/annotations/create-annotation");
  const { createComment } = await import("../lib/server/annotations/create-comment");
  const { updateAnnotation } = await import("../lib/server/annotations/update-annotation");
  const { textToCommentBody } = await import("../lib/shared/comments/comment-body");
  const { tagHashWords } = await import("../lib/shared/comments/hash-tags");
  // The demo's #words become tags, as the composer makes them.
  const bodyOf = (text: string) => tagHashWords(textToCommentBody(text));
  const { randomBytes } = await import("node:crypto");
  const newId = () => `d${randomBytes(12).toString("hex")}`;

  const instructor = await db.user.findUnique({
    where: { email: DEMO_USERS[0].email },
    select: { id: true },
  });
  if (!instructor) return 0;
  const seminar = await db.seminar.findFirst({
    where: { title: DEMO_SEMINAR_TITLE, createdById: instructor.id },
    select: {
      id: true,
      readings: { select: { documentId: true } },
      categories: { select: { id: true, name: true } },
    },
  });
  const documentId = seminar?.readings[0]?.documentId;
  if (!seminar || !documentId) return 0;
  if ((await db.annotation.count({ where: { seminarId: seminar.id } })) > 0) return 0;

  const people = await Promise.all(
    DEMO_USERS.map((user) =>
      db.user.findUniqueOrThrow({ where: { email: user.email }, select: { id: true } }),
    ),
  );
  const categoryId = (name?: string) =>
    seminar.categories.find((category) => category.name === name)?.id ?? null;
  for (const note of DEMO_DISCUSSION) {
    const actor = { userId: (people[note.by] as { id: string }).id };
    const id = newId();
    await createAnnotation(actor, seminar.id, documentId, {
      id,
      kind: note.kind,
      categoryId: categoryId(note.category),
      anchor: await anchorOnPhrase(documentId, note.phrase),
      ...(note.text ? { body: bodyOf(note.text), commentId: newId() } : {}),
    });
    for (const reply of note.replies ?? []) {
      await createComment({ userId: (people[reply.by] as { id: string }).id }, id, {
        id: newId(),
        body: bodyOf(reply.text),
      });
    }
    if (note.pinned) await updateAnnotation(actor, id, { pinned: true });
  }
  return DEMO_DISCUSSION.length;
}
