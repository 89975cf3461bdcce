import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfiguration, liftedAdmissionLimits } from "../../server/collab/config";
import { connectClient, startCollab, type CollabHarness } from "../helpers/collab";
import { buildBaseFrames, generateFuzzFrames } from "../helpers/fuzz-frames";
import { prepareFuzzRooms, runFuzz } from "../helpers/fuzz-run";
import { seededRandom, seedFromEnv } from "../helpers/random";

/** Replay a failure with FUZZ_SEED=<the seed in the test's name>. Longer runs: `npm run soak -- --fuzz N`. */
const SEED = seedFromEnv("FUZZ_SEED", 20261127);
const FRAMES = 5200;

let harness: CollabHarness;
beforeAll(async () => {
  // One reader and one writer account reconnect after every refused frame: thousands of upgrades.
  harness = await startCollab(liftedAdmissionLimits);
});
afterAll(async () => {
  await harness?.close();
});

describe("malformed frames", () => {
  it(`${FRAMES} mutated, truncated, oversize and deeply nested frames close only their own sockets and harm no other room (seed ${SEED})`, async () => {
    const { fuzzedRoom, otherRoom, writerCookie, readerCookie } = await prepareFuzzRooms();

    // The frames derive from what a client of the fuzzed room holds.
    const seedClient = await connectClient(harness, fuzzedRoom, { cookie: writerCookie });
    const bases = buildBaseFrames(Y.encodeStateAsUpdate(seedClient.doc));
    seedClient.destroy();
    const frames = generateFuzzFrames(bases, seededRandom(SEED), defaultConfiguration);

    const report = await runFuzz({
      target: harness,
      fuzzedRoom,
      otherRoom,
      writerCookie,
      readerCookie,
      frames,
      count: FRAMES,
      countConnections: () => harness.server.inspect().connections,
    });
    console.log(
      `fuzz (seed ${SEED}): ${report.frames} frames, outcomes ${JSON.stringify(report.outcomes)}; ` +
        `other room: ${report.otherRoomProbes.delivered} checkpoints, max lag ${report.otherRoomProbes.maxLagMs} ms; ` +
        `event loop delay max ${report.eventLoopDelayMaxMs} ms; slowest frame ${JSON.stringify(report.slowest)}; ` +
        `commit latency ${JSON.stringify(harness.server.metrics().commitLatencyMs)}, ` +
        `${harness.server.metrics().totals.commits} commits`,
    );

    expect({
      frames: report.frames,
      wrongOutcomes: report.wrongOutcomes,
      wrongOutcomeCount: report.wrongOutcomeCount,
      bystanderCloses: report.bystanderCloses,
      hasConverged: report.hasConverged,
      leftConnections: report.leftConnections,
      newcomerTextMatches: report.newcomerTextMatches,
      newcomerTickMatches: report.newcomerTickMatches,
      fuzzedRoomLoads: report.fuzzedRoomLoads,
      otherRoomLoads: report.otherRoomLoads,
      otherRoomUntouched: report.otherRoomUntouched,
      otherRoomProbesFailed: report.otherRoomProbes.maxLagMs === Number.POSITIVE_INFINITY,
    }).toEqual({
      frames: FRAMES,
      wrongOutcomes: [],
      wrongOutcomeCount: 0,
      bystanderCloses: [[], [], [], []],
      hasConverged: true,
      leftConnections: 4,
      newcomerTextMatches: true,
      newcomerTickMatches: true,
      fuzzedRoomLoads: true,
      otherRoomLoads: true,
      otherRoomUntouched: true,
      otherRoomProbesFailed: false,
    });
    expect(report.outcomes["4413"]).toBeGreaterThan(0);
  }, 180_000);
});
