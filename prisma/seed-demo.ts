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
