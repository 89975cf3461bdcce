/**
 * `npm run soak [-- --cycles 200] [-- --synced-writes-only]`: the kill -9 durability cycle of
 * kill9-durability.test.ts, 200 times by default, against a scratch database
 * (on DATABASE_URL's server, or an embedded PostgreSQL under .data/soak).
 * Prints one line per cycle and a summary; exits 1 if anything another
 * client had seen was lost, a writer was closed by the server, or the
 * writers did not converge. Replay a run with SOAK_SEED=<seed>.
 */
import "dotenv/config";
import { parseArgs } from "node:util";
import { roomName } from "../../lib/shared/rooms";
import { sessionCookie } from "../helpers/collab";
import { buildSeminar } from "../helpers/factories";
import { KillNineRig, summarize, type CycleReport } from "../helpers/kill9";
import { seedFromEnv } from "../helpers/random";
import { openScratchDatabase, type ScratchDatabase } from "../helpers/scratch-database";

const { values } = parseArgs({
  options: {
    cycles: { type: "string", default: "200" },
    // Writers write only while synced (see KillNineOptions.writesWhileDisconnected).
    "synced-writes-only": { type: "boolean", default: false },
  },
});
const CYCLES = Number(values.cycles);
const SEED = seedFromEnv("SOAK_SEED", Date.now() % 2 ** 31);

let database: ScratchDatabase | null = null;
let rig: KillNineRig | null = null;

async function cleanUp() {
  await rig?.close().catch(() => undefined);
  rig = null;
  await database?.close().catch(() => undefined);
  database = null;
}

async function main(): Promise<number> {
  if (!Number.isInteger(CYCLES) || CYCLES < 1) throw new Error(`--cycles must be a positive integer.`);
  database = await openScratchDatabase("soak");
  console.log(
    `soak: ${CYCLES} kill -9 cycles, seed ${SEED}, database on ${database.where}` +
      (values["synced-writes-only"]
        ? ", writers write only while synced"
        : ", writers write while disconnected too"),
  );
  const seminar = await buildSeminar();
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
  process.once(signal, () => {
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
