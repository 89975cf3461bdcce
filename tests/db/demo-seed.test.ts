import { describe, expect, it } from "vitest";
import { authenticate } from "../../lib/server/auth/authenticate";
import { db } from "../../lib/server/db";
import { seedTexts } from "../../prisma/seed";
import {
  DEMO_PASSWORD,
  DEMO_SEMINAR_TITLE,
  findWorkingDemoLogins,
  printDemoLogins,
  seedDemo,
} from "../../prisma/seed-demo";

describe("the demo seminar", () => {
  it("has the essay as its reading, an instructor and two students who sign in with the demo password", async () => {
    await seedTexts();
    const logins = await seedDemo();
    expect(logins).toEqual([
      { email: "instructor@example.com", role: "INSTRUCTOR" },
      { email: "student1@example.com", role: "STUDENT" },
      { email: "student2@example.com", role: "STUDENT" },
    ]);
    const seminar = await db.seminar.findFirstOrThrow({
      where: { title: DEMO_SEMINAR_TITLE },
      include: {
        readings: { include: { document: true } },
        memberships: { include: { user: true } },
        categories: true,
      },
    });
    expect(seminar.readings.map((reading) => reading.document.title)).toEqual([
      "Trotsky, Guest of the Revolution",
    ]);
    expect(seminar.memberships.map((m) => [m.user.email, m.role]).sort()).toEqual([
      ["instructor@example.com", "INSTRUCTOR"],
      ["student1@example.com", "STUDENT"],
      ["student2@example.com", "STUDENT"],
    ]);
    expect(seminar.categories).toHaveLength(4);
    for (const { email } of logins) {
      await expect(authenticate({ email, password: DEMO_PASSWORD })).resolves.toMatchObject({ email });
    }
  });

  it("starts the reading's discussion: about a dozen annotations by all three, with replies and a pinned guiding question", async () => {
    const annotations = await db.annotation.findMany({ include: { comments: true } });
    expect(annotations.length).toBeGreaterThanOrEqual(12);
    expect(new Set(annotations.map((annotation) => annotation.authorId)).size).toBe(3);
    expect(
      annotations.some((annotation) => annotation.kind === "GUIDING_QUESTION" && annotation.pinned),
    ).toBe(true);
    expect(annotations.some((annotation) => annotation.comments.length > 1)).toBe(true);
    // Some comments carry #tags, so the tag filters have something to show.
    const tags = annotations.flatMap((annotation) => annotation.comments.flatMap((comment) => comment.tags));
    expect(new Set(tags)).toEqual(new Set(["asylum", "sovereignty", "solidarity", "colonial-gaze"]));
  });

  it("creates nothing new when seeded again", async () => {
    const counts = async () => [
      await db.user.count(),
      await db.seminar.count(),
      await db.membership.count(),
      await db.reading.count(),
      await db.annotation.count(),
      await db.comment.count(),
    ];
    const before = await counts();
    await seedDemo();
    expect(await counts()).toEqual(before);
  });

  it("prints the logins with a note that they are for trying the app", async () => {
    const lines: string[] = [];
    printDemoLogins((await findWorkingDemoLogins()) ?? [], (line) => lines.push(line));
    expect(lines.join("\n")).toContain("These logins are for trying Marginalia (password: marginalia-demo)");
    expect(lines.join("\n")).toContain("student2@example.com");
  });

  it("stops printing them once the demo instructor's password was changed", async () => {
    await db.user.update({
      where: { email: "instructor@example.com" },
      data: { passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$changed" },
    });
    expect(await findWorkingDemoLogins()).toBeNull();
  });
});
