/**
 * Where an export's time goes: seeds a reading of `--threads` threads (as the
 * scale bench does), then exports it in each `--formats` format `--runs`
 * times, printing each run's time split into loading the data and rendering
 * to the last byte. Run it under `node --cpu-prof --import tsx` for a profile:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-exports.ts --threads 10000
 *
 * Not part of `npm test`.
 */
import "dotenv/config";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { prepareExport, renderExport, type ExportFile } from "../lib/server/exports/export-reading";
import { seedReading } from "../tests/helpers/large-discussion";
import { openScratchDatabase } from "../tests/helpers/scratch-database";

async function drain(file: ExportFile): Promise<number> {
  if (typeof file.body === "string") return Buffer.byteLength(file.body);
  if (file.body instanceof Uint8Array) return file.body.byteLength;
  let bytes = 0;
  const reader = file.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    bytes += chunk.value.byteLength;
  return bytes;
}

async function main() {
  const { values } = parseArgs({
    options: {
      threads: { type: "string", default: "10000" },
      runs: { type: "string", default: "3" },
      formats: { type: "string", default: "html,md,jsonld,csv" },
    },
  });
  const scratch = await openScratchDatabase("profile-exports");
  try {
    const reading = await seedReading(Number(values.threads));
    for (const format of values.formats.split(",")) {
      for (let run = 0; run < Number(values.runs); run++) {
        const start = performance.now();
        const prepared = await prepareExport(
          reading.actor,
          reading.seminarId,
          reading.documentId,
          format,
          {},
        );
        const loaded = performance.now();
        const bytes = await drain(await renderExport(prepared, "http://localhost:3000"));
        const end = performance.now();
        console.log(
          `${format} run ${run + 1}: load ${(loaded - start).toFixed(0)} ms, render ${(end - loaded).toFixed(0)} ms, ${bytes.toLocaleString("en-US")} bytes`,
        );
      }
    }
  } finally {
    await scratch.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
