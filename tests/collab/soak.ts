/**
 * `npm run soak [-- --cycles 200] [-- --synced-writes-only]`: the kill -9 durability cycle of
 * kill9-durability.test.ts, 200 times by default, against a scratch database
 * (on DATABASE_URL's server, or an embedded PostgreSQL under .data/soak).
 * Prints one line per cycle and a summary; exits 1 if anything another
 * client had seen was lost, a writer was closed by the server, or the
 * writers did not converge. Replay a run with SOAK_SEED=<seed>.
 *
 * `npm run soak -- --fuzz N [--workers 32]`: instead, the malformed-frame fuzzer of
 * malformed-frames.test.ts (deeply nested values of every content kind included) for N frames
 * against a collab server in a child process. Prints progress every 10,000 frames and a summary;
 * exits 1 on a crash of the server, a frame answered wrongly, a bystander closed, a room that no
 * longer loads, or a probe of the other room not delivered. Every `--room-frames` frames (200,000)
 * the run checks its rooms and moves on to a fresh pair, so that the rate does not fall as the fuzzed
 * room grows. SOAK_COLLAB_NODE_FLAGS passes Node flags to the server's process
 * (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import "dotenv/config";
import { parseArgs } from "node:util";
import * as Y from "yjs";
import { roomName } from "../../lib/shared/rooms";
import { defaultConfiguration, liftedAdmissionLimits } from "../../server/collab/config";
import { connectClient, sessionCookie } from "../helpers/collab";
import { startCollabProcess, type CollabProcess } from "../helpers/collab-process";
import { buildSeminar } from "../helpers/factories";
import { buildBaseFrames, generateFuzzFrames, type FuzzFrame } from "../helpers/fuzz-frames";
import { prepareFuzzRooms, runFuzz, type FuzzReport } from "../helpers/fuzz-run";
import { KillNineRig, summarize, type CycleReport } from "../helpers/kill9";
import { seededRandom, seedFromEnv } from "../helpers/random";
import { openScratchDatabase, type ScratchDatabase } from "../helpers/scratch-database";

const { values } = parseArgs({
  options: {
    cycles: { type: "string", default: "200" },
    // Writers write only while synced (see KillNineOptions.writesWhileDisconnected).
    "synced-writes-only": { type: "boolean", default: false },
    fuzz: { type: "string" },
    workers: { type: "string", default: "32" },
    // Frames per fuzzed room: each newcomer's sync grows with the room, so a long run moves on to a
    // fresh pair of rooms (every room checked first) to keep its rate flat.
    "room-frames": { type: "string", default: "200000" },
  },
});
const CYCLES = Number(values.cycles);
const SEED = seedFromEnv("SOAK_SEED", Date.now() % 2 ** 31);

let database: ScratchDatabase | null = null;
let rig: KillNineRig | null = null;
let collab: CollabProcess | null = null;
/** Set by the first SIGINT/SIGTERM of a fuzz run: it stops after the frames in flight and still reports. */
let isStopRequested = false;

async function cleanUp() {
  await rig?.close().catch(() => undefined);
  rig = null;
  await collab?.stop().catch(() => undefined);
  collab = null;
  await database?.close().catch(() => undefined);
  database = null;
}

/** `--fuzz N`: the malformed-frame fuzzer against a collab child, a fresh pair of rooms every `--room-frames`. */
async function fuzz(count: number): Promise<number> {
  const workers = Number(values.workers);
  const roomFrames = Number(values["room-frames"]);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--fuzz must be a positive integer.`);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers must be a positive integer.`);
  if (!Number.isInteger(roomFrames) || roomFrames < 1)
    throw new Error(`--room-frames must be a positive integer.`);
  database = await openScratchDatabase("soak");
  console.log(
    `soak: fuzzing ${count} frames with ${workers} sockets, seed ${SEED}, a fresh room every ${roomFrames} frames, database on ${database.where}`,
  );
  collab = await startCollabProcess({
    config: { heartbeatMs: 60_000, ...liftedAdmissionLimits },
    // e.g. SOAK_COLLAB_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
    nodeFlags: process.env.SOAK_COLLAB_NODE_FLAGS?.split(" ").filter(Boolean),
  });
  const server = collab;
  const started = performance.now();
  const rounds: FuzzReport[] = [];
  // One stream of frames for the whole run: its bases are the seeded text, which every fuzzed room
  // starts from byte for byte (seedFuzzedTextRoom), so a seed replays the same frames.
  let frames: Iterator<FuzzFrame> | null = null;
  for (let done = 0; done < count && !isStopRequested && !server.hasExited();) {
    const rooms = await prepareFuzzRooms();
    if (!frames) {
      const seedClient = await connectClient(server, rooms.fuzzedRoom, { cookie: rooms.writerCookie });
      frames = generateFuzzFrames(
        buildBaseFrames(Y.encodeStateAsUpdate(seedClient.doc)),
        seededRandom(SEED),
        defaultConfiguration,
      );
      seedClient.destroy();
    }
    const before = done;
    const report = await runFuzz({
      target: server,
      ...rooms,
      frames,
      count: Math.min(roomFrames, count - done),
      workers,
      progressEvery: 10_000,
      shouldStop: () => isStopRequested,
      onProgress: (inRound, summary) =>
        console.log(
          `${new Date().toISOString()} ${before + inRound} frames in all; room ${rounds.length + 1}: ${summary()}` +
            (server.hasExited() ? " — THE SERVER EXITED" : ""),
        ),
    });
    rounds.push(report);
    done += report.frames;
    console.log(
      `room ${rounds.length} done: ${report.frames} frames in ${report.seconds} s, ` +
        `loads ${report.fuzzedRoomLoads === true && report.otherRoomLoads === true ? "yes" : "NO"}, ` +
        `${report.wrongOutcomeCount} wrong`,
    );
  }
  return printFuzzSummary(rounds, server, Math.round((performance.now() - started) / 1000));
}

/** Prints what the rounds of a fuzz run saw together; returns the exit code. */
function printFuzzSummary(rounds: FuzzReport[], server: CollabProcess, seconds: number): number {
  const sum = (pick: (report: FuzzReport) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const outcomes: Record<string, number> = {};
  for (const report of rounds)
    for (const [key, n] of Object.entries(report.outcomes)) outcomes[key] = (outcomes[key] ?? 0) + n;
  const crashes = server.hasExited() ? 1 : 0;
  const unloadable = rounds.flatMap((report, i) =>
    [report.fuzzedRoomLoads, report.otherRoomLoads]
      .filter((loads) => loads !== true)
      .map((why) => `room ${i + 1}: ${why}`),
  );
  const closedBystanders = rounds.flatMap((report) => report.bystanderCloses.flat());
  const wrongOutcomes = rounds.flatMap((report) => report.wrongOutcomes).slice(0, 8);
  const maxLagMs = Math.max(0, ...rounds.map((report) => report.otherRoomProbes.maxLagMs));
  const failedToConverge = rounds.filter(
    (report) => !(report.hasConverged && report.newcomerTextMatches && report.newcomerTickMatches),
  );
  const slowest = rounds
    .map((report) => report.slowest)
    .reduce((worst, s) => (s && (!worst || s.ms > worst.ms) ? s : worst), null);
  console.log("");
  console.log(`fuzz summary (seed ${SEED}, ${seconds} s, ${rounds.length} fuzzed rooms)`);
  console.log(`  frames                     ${sum((r) => r.frames)}`);
  console.log(`  outcomes                   ${JSON.stringify(outcomes)}`);
  console.log(
    `  wrong outcomes             ${sum((r) => r.wrongOutcomeCount)} ${JSON.stringify(wrongOutcomes)}`,
  );
  console.log(`  server crashes             ${crashes}${crashes ? `\n${server.stderrTail()}` : ""}`);
  console.log(`  unloadable rooms           ${unloadable.length} ${unloadable.join("; ")}`);
  console.log(
    `  bystanders closed          ${closedBystanders.length ? closedBystanders.join(",") : "none"}`,
  );
  console.log(
    `  other room probes          ${sum((r) => r.otherRoomProbes.delivered)} delivered, max lag ${maxLagMs} ms`,
  );
  console.log(`  other rooms untouched      ${rounds.every((r) => r.otherRoomUntouched) ? "yes" : "NO"}`);
  console.log(
    `  converged, newcomer synced ${
      failedToConverge.length === 0
        ? "yes"
        : `NO in ${failedToConverge.length} rooms (${failedToConverge
            .map(
              (r) =>
                `converged ${r.hasConverged}, newcomer has the reader's text ${r.newcomerTextMatches}, newcomer has the last tick ${r.newcomerTickMatches}`,
            )
            .join("; ")})`
    }`,
  );
  console.log(`  slowest frame              ${JSON.stringify(slowest)}`);
  console.log(
    `  event loop delay max       ${Math.max(0, ...rounds.map((r) => r.eventLoopDelayMaxMs))} ms (this process)`,
  );
  const notable = server.notableStderr();
  if (notable) console.log(`  server errors logged (last 50)\n${notable}`);
  const isOk =
    rounds.length > 0 &&
    crashes === 0 &&
    sum((r) => r.wrongOutcomeCount) === 0 &&
    unloadable.length === 0 &&
    closedBystanders.length === 0 &&
    rounds.every((r) => r.otherRoomUntouched) &&
    maxLagMs !== Number.POSITIVE_INFINITY &&
    failedToConverge.length === 0;
  console.log(isOk ? "soak: PASS" : "soak: FAIL");
  return isOk ? 0 : 1;
}

async function main(): Promise<number> {
  if (values.fuzz !== undefined) return fuzz(Number(values.fuzz));
  if (!Number.isInteger(CYCLES) || CYCLES < 1) throw new Error(`--cycles must be a positive integer.`);
  database = await openScratchDatabase("soak");
  console.log(
    `soak: ${CYCLES} kill -9 cycles, seed ${SEED}, database on ${database.where}` +
      (values["synced-writes-only"]
        ? ", writers write only while synced"
        : ", writers write while disconnected too"),
  );
  const seminar = await buildSeminar({ ownText: true });
  const room = roomName({ kind: "text", documentId: seminar.documentId as string });
  const { cookie } = await sessionCookie(seminar.instructor);
  rig = await KillNineRig.start({
    room,
    cookie,
    seed: SEED,
    config: { compactAfterRows: 100 },
    writesWhileDisconnected: !values["synced-writes-only"],
  });

  const started = performance.now();
  const reports: CycleReport[] = [];
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const report = await rig.runCycle();
    reports.push(report);
    const problems = [
      report.losses.length ? `LOST ${JSON.stringify(report.losses)}` : "",
      report.closeCodes.length ? `CLOSED ${report.closeCodes.join(",")}` : "",
    ].filter(Boolean);
    console.log(
      `cycle ${String(report.cycle).padStart(3)}: streamed ${report.streamedMs} ms, ${report.writes} writes, ` +
        `${report.newlySeen} newly seen, restart ${Math.round(report.restartMs)} ms, ` +
        `verify ${Math.round(report.verifyMs)} ms, resync ${Math.round(report.resyncMs)} ms` +
        (problems.length ? ` — ${problems.join("; ")}` : " — ok"),
    );
  }
  const settled = await rig.settle();
  const summary = summarize(reports);
  console.log("");
  console.log(`soak summary (seed ${SEED}, ${Math.round((performance.now() - started) / 1000)} s)`);
  console.log(`  cycles                     ${summary.cycles}`);
  console.log(`  writes                     ${summary.writes}`);
  console.log(`  updates seen by others     ${summary.seenAcrossWriters} (summed over writers)`);
  console.log(`  cycles with losses         ${summary.cyclesWithLosses}`);
  console.log(
    `  server closes of writers   ${summary.serverCloses.length ? summary.serverCloses.join(",") : "none"}`,
  );
  console.log(
    `  committed beyond seen      ${summary.heldBeyondSeen} (committed, not yet broadcast at the kill)`,
  );
  console.log(`  converged at the end       ${settled.converged ? "yes" : `NO ${JSON.stringify(settled)}`}`);
  console.log(
    `  mean ms: streamed ${summary.meanMs.streamed}, restart ${summary.meanMs.restart}, ` +
      `verify ${summary.meanMs.verify}, resync ${summary.meanMs.resync}` +
      ` (max restart ${summary.maxMs.restart}, verify ${summary.maxMs.verify}, resync ${summary.maxMs.resync})`,
  );
  const isOk = summary.cyclesWithLosses === 0 && summary.serverCloses.length === 0 && settled.converged;
  console.log(isOk ? "soak: PASS" : "soak: FAIL");
  return isOk ? 0 : 1;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (values.fuzz !== undefined && !isStopRequested) {
      isStopRequested = true;
      console.log(`soak: ${signal}, stopping after the frames in flight (again to abort)`);
      return;
    }
    console.log(`soak: ${signal}, cleaning up`);
    void cleanUp().then(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanUp();
    process.exit(1);
  });
