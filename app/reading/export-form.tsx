"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { formText } from "@/lib/client/forms";
import {
  describeExportProgress,
  EXPORT_PROGRESS_MEDIA_TYPE,
  exportProgress,
  type ExportFrame,
  type ExportProgress,
} from "@/lib/shared/exports/export-progress";
import "./export.css";

/** The formats, in the order the form offers them. */
const FORMATS = [
  {
    value: "pdf",
    label: "PDF annotated copy",
    hint: "The text set like a book, the threads in its margins.",
  },
  { value: "html", label: "HTML annotated copy", hint: "The same copy as one web page that opens anywhere." },
  { value: "md", label: "Markdown", hint: "The text with the threads as footnotes, for notes and wikis." },
  { value: "csv", label: "CSV", hint: "One row per comment, for a spreadsheet." },
  {
    value: "jsonld",
    label: "W3C Web Annotation JSON-LD",
    hint: "The standard annotation format, for other annotation tools.",
  },
] as const;

const LAYERS = [
  { value: "seminar", label: "The seminar’s threads" },
  { value: "private", label: "My private notes" },
  { value: "both", label: "Both" },
] as const;

type Props = {
  seminarId: string;
  documentId: string;
  members: { id: string; name: string; role: string }[];
  /** ISO dates, newest first. */
  snapshots: { id: string; name: string; createdAt: string }[];
};

/** The download so far: the server's work on the file first (the PDF), then bytes received. */
type Progress = { received: number; total: number | null; rendering: ExportProgress | null };

/**
 * Chooses what to export and downloads it with visible progress: the
 * response is read as a stream (bytes received, and a determinate bar when
 * the size is known), then saved through a Blob URL. A PDF takes a while to
 * lay out, so it asks for progress frames first (lib/shared/exports/export-progress.ts)
 * and the bar follows the server's work on it.
 */
export function ExportForm({ seminarId, documentId, members, snapshots }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [layers, setLayers] = useState<string>("seminar");
  const download = useRef<AbortController | null>(null);

  // Leaving the page stops a download in progress.
  useEffect(() => () => download.current?.abort(), []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const format = formText(form, "format");
    const query = new URLSearchParams({
      format,
      layers: formText(form, "layers"),
      includeResolved: form.get("includeResolved") === "on" ? "true" : "false",
    });
    const participantId = formText(form, "participantId");
    if (participantId) query.set("participantId", participantId);
    const snapshotId = formText(form, "snapshotId");
    if (snapshotId) query.set("snapshotId", snapshotId);
    if (format === "pdf") query.set("progress", "true");

    download.current?.abort();
    const controller = new AbortController();
    download.current = controller;
    setError(null);
    setDone(null);
    // A PDF's progress starts with the server reading the discussion, before any answer arrives.
    setProgress({ received: 0, total: null, rendering: format === "pdf" ? exportProgress("loading") : null });
    try {
      const filename = await fetchAndSave(
        `/api/seminars/${seminarId}/documents/${documentId}/export?${query.toString()}`,
        controller.signal,
        setProgress,
      );
      setDone(filename);
    } catch (failure) {
      if (controller.signal.aborted) return;
      setError(failure instanceof Error ? failure.message : "The export failed. Try again.");
    } finally {
      if (download.current === controller) {
        download.current = null;
        setProgress(null);
      }
    }
  }

  const isBusy = progress !== null;
  return (
    <form className="form form-wide export-form" onSubmit={(event) => void onSubmit(event)}>
      <fieldset className="export-fieldset">
        <legend>Format</legend>
        {FORMATS.map((format, index) => (
          <label key={format.value} className="export-choice">
            <input type="radio" name="format" value={format.value} defaultChecked={index === 0} />
            <span>
              <span className="export-choice-label">{format.label}</span>
              <span className="field-hint">{format.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <fieldset className="export-fieldset">
        <legend>Threads</legend>
        {LAYERS.map((layer) => (
          <label key={layer.value} className="export-choice">
            <input
              type="radio"
              name="layers"
              value={layer.value}
              checked={layers === layer.value}
              onChange={() => setLayers(layer.value)}
            />
            <span className="export-choice-label">{layer.label}</span>
          </label>
        ))}
        <label className="export-choice">
          <input type="checkbox" name="includeResolved" defaultChecked />
          <span className="export-choice-label">Include resolved threads</span>
        </label>
      </fieldset>

      <div className="field">
        <label htmlFor="export-participant">
          Participant <span className="optional">optional</span>
        </label>
        <select id="export-participant" name="participantId" defaultValue="" disabled={layers === "private"}>
          <option value="">Everyone</option>
          {members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
              {member.role === "INSTRUCTOR" ? " (instructor)" : ""}
            </option>
          ))}
        </select>
        <p className="field-hint">Only the threads and comments this member wrote.</p>
      </div>

      {snapshots.length > 0 && (
        <div className="field">
          <label htmlFor="export-snapshot">As of</label>
          <select id="export-snapshot" name="snapshotId" defaultValue="" disabled={layers === "private"}>
            <option value="">Now: the live discussion</option>
            {snapshots.map((snapshot) => (
              <option key={snapshot.id} value={snapshot.id}>
                Snapshot “{snapshot.name}” ({new Date(snapshot.createdAt).toLocaleString()})
              </option>
            ))}
          </select>
          <p className="field-hint">Private notes are always exported as they are now.</p>
        </div>
      )}

      <p className="form-error" role="alert" aria-live="assertive">
        {error}
      </p>

      <div className="export-actions">
        <button type="submit" className="button button-primary" disabled={isBusy}>
          {isBusy ? "Exporting…" : "Download"}
        </button>
        {isBusy && (
          <button type="button" className="button" onClick={() => download.current?.abort()}>
            Cancel
          </button>
        )}
      </div>

      <div className="export-progress" role="status" aria-live="polite">
        {progress?.rendering && (
          <>
            <progress
              className="export-progress-bar"
              aria-label="Export progress"
              max={1}
              value={progress.rendering.fraction}
            />
            <span>{describeExportProgress(progress.rendering)}</span>
          </>
        )}
        {progress && !progress.rendering && (
          <>
            <progress
              className="export-progress-bar"
              aria-label="Download progress"
              max={progress.total ?? undefined}
              value={progress.total ? progress.received : undefined}
            />
            <span>
              {formatBytes(progress.received)}
              {progress.total ? ` of ${formatBytes(progress.total)}` : ""} received
            </span>
          </>
        )}
        {!progress && done && <span>Saved {done}.</span>}
      </div>
    </form>
  );
}

/**
 * Fetches the export, reporting bytes as they arrive, and saves it under the
 * server's file name; returns that name. Throws with the server's message.
 */
async function fetchAndSave(
  url: string,
  signal: AbortSignal,
  onProgress: (progress: Progress) => void,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", signal });
  } catch (failure) {
    if (signal.aborted) throw failure;
    throw new Error("Could not reach the server. Check your connection and try again.");
  }
  if (!response.ok) {
    const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(payload?.error?.message ?? `The server answered ${response.status}.`);
  }
  if (response.headers.get("Content-Type") === EXPORT_PROGRESS_MEDIA_TYPE) {
    const file = await readFramed(response, onProgress);
    save(file.chunks, file.filename, file.contentType);
    return file.filename;
  }
  // A compressed response's length counts compressed bytes, not the ones we read.
  const length = Number(response.headers.get("Content-Length"));
  const total = response.headers.get("Content-Encoding") || !(length > 0) ? null : length;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  onProgress({ received, total, rendering: null });
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress({ received, total, rendering: null });
    }
  }
  const filename = filenameOf(response.headers.get("Content-Disposition")) ?? "export";
  save(chunks, filename, response.headers.get("Content-Type") ?? "application/octet-stream");
  return filename;
}

/** Hands the bytes to the browser's download under `filename`. */
function save(chunks: Uint8Array<ArrayBuffer>[], filename: string, contentType: string) {
  const blob = new Blob(chunks, { type: contentType });
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the browser's download; free it after.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/**
 * Reads a framed answer: progress lines, then the file's line and its bytes
 * (lib/shared/exports/export-progress.ts). Throws with an error frame's message,
 * or when the answer ends early.
 */
async function readFramed(
  response: Response,
  onProgress: (progress: Progress) => void,
): Promise<{ chunks: Uint8Array<ArrayBuffer>[]; filename: string; contentType: string }> {
  if (!response.body) throw new Error("The server sent no file. Try again.");
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending: Uint8Array = new Uint8Array(0);
  let file: { filename: string; contentType: string; bytes: number } | null = null;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  const take = (bytes: Uint8Array) => {
    if (!file || bytes.byteLength === 0) return;
    chunks.push(new Uint8Array(bytes));
    received += bytes.byteLength;
    onProgress({ received, total: file.bytes, rendering: null });
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (file) {
      take(value);
      continue;
    }
    pending = concat(pending, value);
    // Frames until the file's: each a line of JSON.
    for (let newline = pending.indexOf(10); newline >= 0 && !file; newline = pending.indexOf(10)) {
      const frame = JSON.parse(decoder.decode(pending.subarray(0, newline))) as ExportFrame;
      pending = pending.subarray(newline + 1);
      if ("error" in frame) throw new Error(frame.error.message);
      if ("progress" in frame) onProgress({ received: 0, total: null, rendering: frame.progress });
      else {
        file = frame.file;
        onProgress({ received: 0, total: file.bytes, rendering: null });
        take(pending);
      }
    }
  }
  if (!file || received !== file.bytes) throw new Error("The export was cut off. Try again.");
  return { chunks, filename: file.filename, contentType: file.contentType };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a);
  joined.set(b, a.byteLength);
  return joined;
}

function filenameOf(disposition: string | null): string | null {
  const match = disposition ? /filename="([^"]+)"/.exec(disposition) : null;
  return match?.[1] ?? null;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
