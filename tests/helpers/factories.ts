/**
 * Small factories for tests against a real database, as Outline's
 * server/test/factories.ts: each builds the least that makes a valid row.
 */
import type { JSONContent } from "@tiptap/core";
import { hashPassword } from "../../lib/server/auth/password";
import { db } from "../../lib/server/db";
import { createOwnedDocument } from "../../lib/server/documents/create-owned-document";
import { createSeminar } from "../../lib/server/seminars/create-seminar";
import { seedTexts } from "../../prisma/seed";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** A password every factory user has. */
export const TEST_PASSWORD = "correct horse battery";

let hashed: Promise<string> | null = null;

/** A user who can sign in with {@link TEST_PASSWORD}. */
export async function buildUser(overrides: { name?: string; email?: string } = {}) {
  hashed ??= hashPassword(TEST_PASSWORD);
  const id = unique();
  return db.user.create({
    data: {
      name: overrides.name ?? `Reader ${id}`,
      email: overrides.email ?? `reader-${id}@example.test`,
      passwordHash: await hashed,
    },
    select: { id: true, name: true, email: true },
  });
}

/** The essay, imported once per database. */
export async function buildEssay() {
  await seedTexts();
  return db.document.findUniqueOrThrow({
    where: { slug: "trotsky-guest-of-the-revolution" },
    select: { id: true, title: true },
  });
}

type BuiltUser = Awaited<ReturnType<typeof buildUser>>;

/**
 * The essay as a text of `ownerId`'s own (an uploaded copy of the library essay, same
 * content), for tests where someone edits the text live: nobody edits a library text
 * (docs/adr/0026).
 */
export async function buildOwnEssay(ownerId: string) {
  const essay = await buildEssay();
  const library = await db.document.findUniqueOrThrow({
    where: { id: essay.id },
    select: { content: true, title: true, byline: true, source: true, date: true },
  });
  return db.$transaction((tx) =>
    createOwnedDocument(tx, {
      ownerId,
      content: library.content as JSONContent,
      metadata: { title: library.title, byline: library.byline, source: library.source, date: library.date },
      copiedFromId: essay.id,
    }),
  );
}

/**
 * A seminar with an instructor (built if not given), optional students, and the essay as a
 * reading: the library essay, or with `ownText` a copy the instructor owns and may edit live.
 */
export async function buildSeminar(
  options: {
    instructor?: BuiltUser;
    students?: { id: string }[];
    withEssay?: boolean;
    ownText?: boolean;
  } = {},
) {
  const instructor = options.instructor ?? (await buildUser({ name: "Instructor" }));
  const seminar = await createSeminar({ userId: instructor.id }, { title: `Seminar ${unique()}` });
  for (const student of options.students ?? []) {
    await db.membership.create({ data: { userId: student.id, seminarId: seminar.id, role: "STUDENT" } });
  }
  let documentId: string | null = null;
  if (options.withEssay ?? true) {
    const essay = options.ownText ? await buildOwnEssay(instructor.id) : await buildEssay();
    await db.reading.create({
      data: { seminarId: seminar.id, documentId: essay.id, instruction: "Read closely." },
    });
    documentId = essay.id;
  }
  const invite = await db.invite.findFirstOrThrow({ where: { seminarId: seminar.id, revokedAt: null } });
  return { ...seminar, instructor, documentId, inviteCode: invite.code };
}
