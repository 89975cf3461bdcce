/**
 * Where an export's time goes: seeds a reading of `--threads` threads (as the
 * scale bench does), then exports it in each `--formats` format `--runs`
 * times, printing each run's time split into loading the data and rendering
 * to the last byte, and how much of it the garbage collector took (at 10,000
 * threads mostly scavenges, paid for what a load keeps alive to its end). Run it under `node --cpu-prof --import tsx` for a profile:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-exports.ts --threads 10000
 *
 * Not part of `npm test`.
 */
import "dotenv/config";
import { performance, PerformanceObserver } from "node:perf_hooks";
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
  let collectorMs = 0;
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collectorMs += entry.duration;
  });
  collections.observe({ entryTypes: ["gc"] });
  const scratch = await openScratchDatabase("profile-exports");
  try {
    const reading = await seedReading(Number(values.threads));
    for (const format of values.formats.split(",")) {
      for (let run = 0; run < Number(values.runs); run++) {
        collectorMs = 0;
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
        // Entries are delivered after the collection: let those of this run arrive.
        await new Promise((resolve) => setTimeout(resolve, 20));
        console.log(
          `${format} run ${run + 1}: load ${(loaded - start).toFixed(0)} ms, render ${(end - loaded).toFixed(0)} ms, collecting garbage ${collectorMs.toFixed(0)} ms of the two, ${bytes.toLocaleString("en-US")} bytes`,
        );
      }
    }
  } finally {
    collections.disconnect();
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
