/**
 * Expired upload previews are deleted by a sweep that every app process runs:
 * each expired row is deleted by exactly one sweep, however many run at once,
 * and nothing live is touched. Progress rows of conversions that died with
 * their process go with them; a running conversion's row stays.
 */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { recordConversionProgress, getConversionProgress } from "@/lib/server/uploads/conversion-progress";
import { deleteExpiredUploads } from "@/lib/server/uploads/delete-upload";
import { buildUser } from "../helpers/factories";

const HOUR = 60 * 60 * 1000;

async function makeUpload(ownerId: string, expiresAt: Date, original: Uint8Array | null = null) {
  const row = await db.upload.create({
    data: {
      ownerId,
      filename: "book.epub",
      format: "epub",
      title: "A Book",
      byline: "",
      source: "",
      content: { type: "doc", content: [] },
      found: {},
      warnings: [],
      original: original ? Buffer.from(original) : null,
      expiresAt,
    },
    select: { id: true },
  });
  return row.id;
}

describe("the expired-upload sweep", () => {
  it("deletes each expired preview once across concurrent sweeps, and nothing live", async () => {
    const owner = await buildUser();
    const now = new Date();
    const expired = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        makeUpload(owner.id, new Date(now.getTime() - (i + 1) * 1000), new Uint8Array(1024).fill(i)),
      ),
    );
    const live = await makeUpload(owner.id, new Date(now.getTime() + HOUR));

    // Three processes' sweeps at the same moment.
    const sweeps = await Promise.all([0, 1, 2].map(() => deleteExpiredUploads(now)));
    const deleted = sweeps.flatMap((sweep) => sweep.uploadIds).filter((id) => expired.includes(id));
    expect(deleted.sort()).toEqual([...expired].sort());
    expect(new Set(deleted).size).toBe(deleted.length);

    expect(await db.upload.count({ where: { id: { in: expired } } })).toBe(0);
    expect(await db.upload.count({ where: { id: live } })).toBe(1);
    expect((await deleteExpiredUploads(now)).uploadIds).not.toContain(live);
  });

  it("removes progress rows of conversions that can no longer be running", async () => {
    const owner = await buildUser();
    const running = recordConversionProgress(owner.id, `running-${owner.id}`);
    running.report({ stage: "converting", fraction: 0.5 });
    await db.conversionProgress.create({
      data: { id: `crashed-${owner.id}`, ownerId: owner.id, stage: "converting", fraction: 0.2 },
    });
    await db.$executeRaw`UPDATE "ConversionProgress" SET "updatedAt" = now() - interval '2 hours'
      WHERE "id" = ${`crashed-${owner.id}`}`;
    // Wait for the running conversion's write to land before sweeping.
    await expect.poll(() => db.conversionProgress.count({ where: { id: `running-${owner.id}` } })).toBe(1);

    const sweep = await deleteExpiredUploads(new Date());
    expect(sweep.staleProgress).toBeGreaterThanOrEqual(1);
    expect(await db.conversionProgress.count({ where: { id: `crashed-${owner.id}` } })).toBe(0);
    expect(await getConversionProgress({ userId: owner.id }, `running-${owner.id}`)).toEqual({
      stage: "converting",
      fraction: 0.5,
    });
    await running.finish();
  });
});

describe("conversion progress", () => {
  it("keeps the newest step, shows it only to its owner, and is gone when the conversion ends", async () => {
    const owner = await buildUser();
    const other = await buildUser();
    const jobId = `job-${owner.id}`;
    const progress = recordConversionProgress(owner.id, jobId);
    for (const fraction of [0, 0.1, 0.2, 0.3, 0.4]) progress.report({ stage: "converting", fraction });
    await expect
      .poll(async () => (await db.conversionProgress.findUnique({ where: { id: jobId } }))?.fraction)
      .toBe(0.4);
    expect((await getConversionProgress({ userId: owner.id }, jobId)).fraction).toBe(0.4);
    await expect(getConversionProgress({ userId: other.id }, jobId)).rejects.toMatchObject({
      code: "not_found",
    });
    // Someone else reusing the id cannot overwrite the owner's row.
    const intruder = recordConversionProgress(other.id, jobId);
    intruder.report({ stage: "hijacked", fraction: 1 });
    await intruder.finish();
    expect(await getConversionProgress({ userId: owner.id }, jobId)).toEqual({
      stage: "converting",
      fraction: 0.4,
    });
    await progress.finish();
    await expect(getConversionProgress({ userId: owner.id }, jobId)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(getConversionProgress({ userId: owner.id }, "short")).rejects.toMatchObject({
      code: "invalid_input",
    });
  });
});
