/**
 * How far an export has got, and the framing that carries it to the export
 * page ahead of the file (docs/adr/0025-paged-review-and-export-progress.md). The server writes
 * frames (app/api/.../export/route.ts with `progress=1`), the export form
 * reads them (app/reading/export-form.tsx): one JSON object per line —
 * `{"progress":…}` any number of times, then `{"file":…}` followed by exactly
 * `bytes` bytes of the file, or `{"error":…}` — on one response, so that any
 * process behind a balancer can serve it and nothing is stored between
 * requests.
 */

/** The stages of an export, in order. */
export const EXPORT_STAGES = ["loading", "setting", "text", "notes", "endnotes", "printing", "done"] as const;
/** One of {@link EXPORT_STAGES}. */
export type ExportStage = (typeof EXPORT_STAGES)[number];

/** One report of progress. */
export type ExportProgress = {
  stage: ExportStage;
  /** Units of the stage done (blocks of text set, pages whose notes are placed, endnotes set, pages printed)… */
  done: number;
  /** …of these (1 for a stage that is one step). */
  total: number;
  /** The whole export's share done, 0–1: each stage's share of the work (EXPORT_STAGE_SHARES) times its own progress. */
  fraction: number;
};

/**
 * Where each stage begins and ends in the whole (0–1), from where the time
 * goes in a 10,000-thread PDF export (`npm run bench -- --only exports`, 24–26 s):
 * loading the data and writing the HTML (~1 s), setting it in Chromium (~2 s),
 * flowing the text into pages (~0.5 s), placing the notes (~1 s), setting the
 * endnotes (~7.5 s), printing (~12–14 s).
 */
export const EXPORT_STAGE_SHARES: Record<ExportStage, [number, number]> = {
  loading: [0, 0.05],
  setting: [0.05, 0.12],
  text: [0.12, 0.15],
  notes: [0.15, 0.2],
  endnotes: [0.2, 0.48],
  printing: [0.48, 1],
  done: [1, 1],
};

/** A progress report for `done` of `total` units of a stage. */
export function exportProgress(stage: ExportStage, done = 0, total = 1): ExportProgress {
  const [from, to] = EXPORT_STAGE_SHARES[stage];
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  return { stage, done, total, fraction: from + (to - from) * share };
}

/** What the export page says of a stage. */
export function describeExportProgress(progress: ExportProgress): string {
  const of = `${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")}`;
  switch (progress.stage) {
    case "loading":
      return "Reading the discussion…";
    case "setting":
      return "Setting the text…";
    case "text":
      return `Laying out the text: ${of} blocks`;
    case "notes":
      return `Placing the notes: ${of} pages`;
    case "endnotes":
      return `Setting the endnotes: ${of}`;
    case "printing":
      return progress.total > 1 ? `Printing the pages: ${of}` : "Printing the pages…";
    case "done":
      return "Done";
  }
}

/** The media type of a response framed as described above. */
export const EXPORT_PROGRESS_MEDIA_TYPE = "application/vnd.marginalia.export-progress";

/** A frame of the progress stream (one line of JSON). */
export type ExportFrame =
  | { progress: ExportProgress }
  | { file: { filename: string; contentType: string; bytes: number } }
  | { error: { message: string } };
