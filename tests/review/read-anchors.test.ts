import { beforeAll, describe, expect, it } from "vitest";
import { anchorFromRow, ANCHOR_COLUMNS } from "../../lib/server/annotations/anchor-bytes";
import { readAnchors } from "../../lib/server/annotations/read-anchors";
import { db } from "../../lib/server/db";
import { buildSeminar, buildUser } from "../helpers/factories";
import { startThread } from "../helpers/discussion";

/** The anchors as Prisma reads the rows, by id: what readAnchors must return. */
async function expectedAnchors(ids: string[]) {
  const rows = await db.annotation.findMany({
    where: { id: { in: ids } },
    select: { id: true, ...ANCHOR_COLUMNS },
  });
  return new Map(rows.map((row) => [row.id, anchorFromRow(row)]));
}

describe("readAnchors", () => {
  let seminar: Awaited<ReturnType<typeof buildSeminar>>;
  const ids: string[] = [];
  let elsewhere = "";

  beforeAll(async () => {
    const sol = await buildUser({ name: "Sol" });
    seminar = await buildSeminar({ students: [sol] });
    ids.push(await startThread(sol, seminar, { kind: "COMMENT", phrase: "Mexico", text: "Why here?" }));
    ids.push(await startThread(seminar.instructor, seminar, { kind: "HIGHLIGHT", phrase: "the savage" }));
    // Anchor bytes longer than 57, whose base64 is longer than a line of PostgreSQL's encode().
    const long = await db.annotation.create({
      data: {
        seminarId: seminar.id,
        documentId: seminar.documentId as string,
        authorId: sol.id,
        kind: "COMMENT",
        anchorStart: new Uint8Array(Array.from({ length: 200 }, (_, i) => (i * 37) % 256)),
        anchorEnd: new Uint8Array(Array.from({ length: 61 }, (_, i) => 255 - i)),
        quoteExact: "a quote with 'quotes' and\nlines",
        quotePrefix: "before ",
        quoteSuffix: " after",
        positionStart: 12,
        positionEnd: 40,
      },
    });
    ids.push(long.id);
    const other = await buildSeminar({ instructor: seminar.instructor });
    elsewhere = await startThread(seminar.instructor, other, {
      kind: "COMMENT",
      phrase: "Mexico",
      text: "Elsewhere",
    });
  });

  it("reads each anchor as anchorFromRow does, long byte strings included, and leaves out other readings' threads", async () => {
    const read = await readAnchors(seminar.id, seminar.documentId as string, [...ids, elsewhere]);
    const expected = await expectedAnchors(ids);
    expect(new Map(read.map(({ id, anchor }) => [id, anchor]))).toStrictEqual(expected);
    expect(read.map((entry) => entry.id)).not.toContain(elsewhere);
  });

  it("reads the same when asked for more ids than it lists (the reading is read whole), keeping only those asked", async () => {
    const unknown = Array.from({ length: 600 }, (_, i) => `no-such-thread-${i}`);
    const asked = [ids[0] as string, ids[2] as string];
    const read = await readAnchors(seminar.id, seminar.documentId as string, [
      ...asked,
      ...unknown,
      elsewhere,
    ]);
    expect(new Map(read.map(({ id, anchor }) => [id, anchor]))).toStrictEqual(await expectedAnchors(asked));
  });

  it("reads nothing for no ids", async () => {
    expect(await readAnchors(seminar.id, seminar.documentId as string, [])).toEqual([]);
  });
});
