import { describe, expect, it } from "vitest";
import { seedTexts } from "../../prisma/seed";
import { db } from "../../lib/server/db";

describe("seeding the texts", () => {
  it("imports the essay with the source file's hash as its version", async () => {
    const [result] = await seedTexts();
    expect(result?.outcome).toBe("created");
    const document = await db.document.findUniqueOrThrow({
      where: { slug: "trotsky-guest-of-the-revolution" },
    });
    expect(document.title).toBe("Trotsky, Guest of the Revolution");
    expect(document.byline).toBe("Olivia Gall");
    expect(document.version).toMatch(/^[0-9a-f]{64}$/);
    expect(document.plainText).toContain("Lázaro Cárdenas");
  });

  it("creates nothing new the second time", async () => {
    const before = await db.document.findMany({ orderBy: { id: "asc" } });
    const results = await seedTexts();
    expect(results.map((result) => result.outcome)).toEqual(["unchanged"]);
    const after = await db.document.findMany({ orderBy: { id: "asc" } });
    expect(after).toEqual(before);
  });
});
