/**
 * The conversion worker thread: receives one upload, converts it, posts the
 * result (progress messages on the way) and ends. Started by convert.ts
 * through worker-entry.mjs, with a memory limit; a time limit ends it.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runConversion } from "./run-conversion";
import type { ConvertOptions } from "./types";

type Job = {
  bytes: Uint8Array;
  filename: string;
  mediaType?: string;
  options: Omit<ConvertOptions, "timeoutMs" | "onProgress">;
};

const job = workerData as Job;
const result = await runConversion(
  { bytes: job.bytes, filename: job.filename, mediaType: job.mediaType },
  { ...job.options, onProgress: (p) => parentPort?.postMessage({ type: "progress", ...p }) },
);
const transfer = result.ok ? result.images.map((image) => image.bytes.buffer as ArrayBuffer) : [];
parentPort?.postMessage({ type: "result", result }, transfer);
