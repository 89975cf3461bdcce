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
 * longer loads, or a probe of the other room not delivered. SOAK_COLLAB_NODE_FLAGS passes Node
 * flags to the server's process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import "dotenv/config";
import { parseArgs } from "node:util";
import * as Y from "yjs";
import { roomName } from "../../lib/shared/rooms";
import { defaultConfiguration, liftedAdmissionLimits } from "../../server/collab/config";
import { connectClient, sessionCookie } from "../helpers/collab";
import { startCollabProcess, type CollabProcess } from "../helpers/collab-process";
import { buildSeminar } from "../helpers/factories";
import { buildBaseFrames, generateFuzzFrames } from "../helpers/fuzz-frames";
import { prepareFuzzRooms, runFuzz } from "../helpers/fuzz-run";
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

/** `--fuzz N`: the malformed-frame fuzzer against a collab child. */
async function fuzz(count: number): Promise<number> {
  const workers = Number(values.workers);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--fuzz must be a positive integer.`);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers must be a positive integer.`);
  database = await openScratchDatabase("soak");
  console.log(
    `soak: fuzzing ${count} frames with ${workers} sockets, seed ${SEED}, database on ${database.where}`,
  );
  const { fuzzedRoom, otherRoom, writerCookie, readerCookie } = await prepareFuzzRooms();
  collab = await startCollabProcess({
    config: { heartbeatMs: 60_000, ...liftedAdmissionLimits },
    // e.g. SOAK_COLLAB_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
    nodeFlags: process.env.SOAK_COLLAB_NODE_FLAGS?.split(" ").filter(Boolean),
  });

  const seedClient = await connectClient(collab, fuzzedRoom, { cookie: writerCookie });
  const bases = buildBaseFrames(Y.encodeStateAsUpdate(seedClient.doc));
  seedClient.destroy();
  const server = collab;
  const report = await runFuzz({
    target: server,
    fuzzedRoom,
    otherRoom,
    writerCookie,
    readerCookie,
    frames: generateFuzzFrames(bases, seededRandom(SEED), defaultConfiguration),
    count,
    workers,
    progressEvery: 10_000,
    shouldStop: () => isStopRequested,
    onProgress: (done, summary) =>
      console.log(
        `${new Date().toISOString()} ${summary()}` + (server.hasExited() ? " — THE SERVER EXITED" : ""),
      ),
  });
  const crashes = server.hasExited() ? 1 : 0;
  const unloadable = [report.fuzzedRoomLoads, report.otherRoomLoads].filter((loads) => loads !== true);
  const closedBystanders = report.bystanderCloses.flat();
  console.log("");
  console.log(`fuzz summary (seed ${SEED}, ${report.seconds} s)`);
  console.log(`  frames                     ${report.frames}`);
  console.log(`  outcomes                   ${JSON.stringify(report.outcomes)}`);
  console.log(
    `  wrong outcomes             ${report.wrongOutcomeCount} ${JSON.stringify(report.wrongOutcomes)}`,
  );
  console.log(`  server crashes             ${crashes}${crashes ? `\n${server.stderrTail()}` : ""}`);
  console.log(`  unloadable rooms           ${unloadable.length} ${unloadable.join("; ")}`);
  console.log(
    `  bystanders closed          ${closedBystanders.length ? closedBystanders.join(",") : "none"}`,
  );
  console.log(
    `  other room probes          ${report.otherRoomProbes.delivered} delivered, max lag ${report.otherRoomProbes.maxLagMs} ms`,
  );
  console.log(`  other room untouched       ${report.otherRoomUntouched ? "yes" : "NO"}`);
  console.log(
    `  converged, newcomer synced ${
      report.hasConverged && report.newcomerTextMatches && report.newcomerTickMatches
        ? "yes"
        : `NO (converged ${report.hasConverged}, newcomer has the reader's text ${report.newcomerTextMatches}, newcomer has the last tick ${report.newcomerTickMatches})`
    }`,
  );
  console.log(`  slowest frame              ${JSON.stringify(report.slowest)}`);
  console.log(`  event loop delay max       ${report.eventLoopDelayMaxMs} ms (this process)`);
  const notable = server.notableStderr();
  if (notable) console.log(`  server errors logged (last 50)\n${notable}`);
  const isOk =
    crashes === 0 &&
    report.wrongOutcomeCount === 0 &&
    unloadable.length === 0 &&
    closedBystanders.length === 0 &&
    report.otherRoomUntouched &&
    report.otherRoomProbes.maxLagMs !== Number.POSITIVE_INFINITY &&
    report.hasConverged &&
    report.newcomerTextMatches &&
    report.newcomerTickMatches;
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
