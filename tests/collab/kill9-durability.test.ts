import { afterAll, describe, expect, it } from "vitest";
import { roomName } from "../../lib/shared/rooms";
import { sessionCookie } from "../helpers/collab";
import { buildSeminar } from "../helpers/factories";
import { KillNineRig, summarize, type CycleReport } from "../helpers/kill9";
import { seedFromEnv } from "../helpers/random";

/** Replay a failure with KILL9_SEED=<the seed in the test's name>. */
const SEED = seedFromEnv("KILL9_SEED", 20261127);
const CYCLES = 20;

let rig: KillNineRig | null = null;
afterAll(async () => {
  await rig?.close();
});

describe("kill -9 durability", () => {
  it(`loses nothing any client had seen of another across ${CYCLES} kill -9 restarts (seed ${SEED})`, async () => {
    const seminar = await buildSeminar({ ownText: true });
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const { cookie } = await sessionCookie(seminar.instructor);
    // A small compaction threshold, so some kills land while the log is being compacted.
    rig = await KillNineRig.start({ room, cookie, seed: SEED, config: { compactAfterRows: 100 } });

    const reports: CycleReport[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const report = await rig.runCycle();
      reports.push(report);
      expect(report.losses, `cycle ${report.cycle}: updates other writers had seen are gone`).toEqual([]);
      // The check means something only if the writers really saw each other's updates before the kill.
      expect(
        report.newlySeen,
        `cycle ${report.cycle}: the writers saw nothing of each other`,
      ).toBeGreaterThan(0);
      expect(report.closeCodes, `cycle ${report.cycle}: the server closed writers`).toEqual([]);
    }

    const settled = await rig.settle();
    expect(settled.converged, `writers and a fresh client diverge: ${JSON.stringify(settled)}`).toBe(true);
    console.log(`kill9 (seed ${SEED}): ${JSON.stringify(summarize(reports))}`);
  }, 180_000);
});
