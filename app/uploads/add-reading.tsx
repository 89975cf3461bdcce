"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from "react";
import { uploadPreviewPath } from "@/lib/shared/urls";

/** Formats the kinds of file the converter reads, for the file picker. */
const ACCEPT =
  ".pdf,.docx,.epub,.md,.markdown,.html,.htm,.txt,text/plain,text/markdown,text/html,application/pdf";
/** The same limit the server enforces, checked first so nobody waits to be refused. */
const MAX_BYTES = 25 * 1024 * 1024;
/** How often the converter's progress is asked for while it works. */
const PROGRESS_POLL_MS = 400;

/**
 * An id for one conversion, to poll its progress by. getRandomValues, not
 * randomUUID: the latter exists only in secure contexts (not plain http on a LAN).
 */
function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** What the converter says it is doing, as a person would say it. */
function describeStep(step: string): string {
  if (!step || step === "detecting") return "Reading the file…";
  if (step === "checking") return "Checking the converted text…";
  if (step === "done") return "Opening the preview…";
  return `${step.charAt(0).toUpperCase()}${step.slice(1)}…`;
}

type Progress =
  | { stage: "idle" }
  | { stage: "uploading"; sent: number; total: number }
  | { stage: "converting"; job: string; fraction: number; step: string }
  | { stage: "failed"; message: string; canOcr: boolean };

type Props = {
  /** The seminar the preview will offer to publish to. */
  seminarId?: string;
  /** A text this upload is a new version of. */
  replacesDocumentId?: string;
  /** The heading's text. */
  heading?: string;
};

/**
 * "Add a reading": drop or choose a file, or paste text. The file is sent as
 * the request body with XMLHttpRequest, whose upload events give real byte
 * progress; then the server converts it and answers the preview's id.
 */
export function AddReading({ seminarId, replacesDocumentId, heading = "Add a reading" }: Props) {
  const router = useRouter();
  const headingId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [lastFile, setLastFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress>({ stage: "idle" });
  const [isDragging, setDragging] = useState(false);
  const isBusy = progress.stage === "uploading" || progress.stage === "converting";

  function send(body: Blob, name: string, ocr = false) {
    if (body.size > MAX_BYTES) {
      setProgress({
        stage: "failed",
        message: "The file is larger than 25 MiB, the most an upload may be.",
        canOcr: false,
      });
      return;
    }
    const job = newJobId();
    const query = new URLSearchParams({ name, job });
    if (replacesDocumentId) query.set("replaces", replacesDocumentId);
    if (ocr) query.set("ocr", "1");
    const request = new XMLHttpRequest();
    request.open("POST", `/api/uploads?${query.toString()}`);
    request.responseType = "json";
    setProgress({ stage: "uploading", sent: 0, total: body.size });
    request.upload.onprogress = (event) => {
      setProgress({ stage: "uploading", sent: event.loaded, total: event.total || body.size });
    };
    request.upload.onload = () => setProgress({ stage: "converting", job, fraction: 0, step: "" });
    request.onerror = () =>
      setProgress({
        stage: "failed",
        message: "Could not reach the server. Check your connection and try again.",
        canOcr: false,
      });
    request.onload = () => {
      const payload = request.response as {
        upload?: { id: string };
        error?: { message: string; details?: { reason?: string; ocrAvailable?: boolean } };
      } | null;
      if (request.status === 201 && payload?.upload) {
        // Done: the bar shows it full while the preview loads.
        setProgress((current) =>
          current.stage === "converting" ? { ...current, fraction: 1, step: "done" } : current,
        );
        const path = uploadPreviewPath(payload.upload.id);
        router.push(seminarId ? `${path}?seminar=${seminarId}` : path);
        return;
      }
      setProgress({
        stage: "failed",
        message: payload?.error?.message ?? `The server answered ${request.status}.`,
        canOcr: payload?.error?.details?.ocrAvailable === true,
      });
    };
    request.send(body);
  }

  // While the server converts, ask it how far it has got; the bar only moves forward.
  const convertingJob = progress.stage === "converting" ? progress.job : null;
  useEffect(() => {
    if (!convertingJob) return;
    let stopped = false;
    const poll = async () => {
      const response = await fetch(`/api/uploads/jobs/${convertingJob}`, { cache: "no-store" }).catch(
        () => null,
      );
      if (stopped || !response?.ok) return;
      const { progress: step } = (await response.json()) as { progress: { stage: string; fraction: number } };
      setProgress((current) =>
        !stopped && current.stage === "converting" && current.job === convertingJob
          ? { ...current, fraction: Math.max(current.fraction, step.fraction), step: step.stage }
          : current,
      );
    };
    const timer = setInterval(() => void poll(), PROGRESS_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [convertingJob]);

  function sendFile(file: File | undefined) {
    if (!file) return;
    setLastFile(file);
    send(file, file.name);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    if (!isBusy) sendFile(event.dataTransfer.files[0]);
  }

  function onPaste(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = new FormData(event.currentTarget).get("pasted");
    if (typeof text !== "string" || text.trim() === "") {
      setProgress({ stage: "failed", message: "Paste some text first.", canOcr: false });
      return;
    }
    send(new Blob([text], { type: "text/plain;charset=utf-8" }), "Pasted text.txt");
  }

  const percent =
    progress.stage === "uploading" && progress.total > 0
      ? Math.round((progress.sent / progress.total) * 100)
      : 0;

  return (
    <section className="add-reading" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-title">
        {heading}
      </h2>
      <div
        className={`drop-zone${isDragging ? " drop-zone-active" : ""}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="drop-zone-title">Drop a file here</p>
        <p className="drop-zone-hint">
          PDF with selectable text, Word (.docx), EPUB, Markdown, HTML or plain text — up to 25 MiB.
        </p>
        <button
          type="button"
          className="button button-primary"
          disabled={isBusy}
          onClick={() => inputRef.current?.click()}
        >
          Choose a file
        </button>
        <input
          ref={inputRef}
          className="sr-only"
          type="file"
          accept={ACCEPT}
          aria-label="File to upload"
          tabIndex={-1}
          onChange={(event) => {
            sendFile(event.currentTarget.files?.[0]);
            event.currentTarget.value = "";
          }}
        />
      </div>

      <div className="upload-status" aria-live="polite">
        {progress.stage === "uploading" && (
          <>
            <p>Uploading… {percent}%</p>
            <div
              className="progress"
              role="progressbar"
              aria-label="Upload"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <div className="progress-bar" style={{ width: `${percent}%` }} />
            </div>
          </>
        )}
        {progress.stage === "converting" && (
          <>
            <p>
              {/* The bar carries the number; the live region says only what is happening. */}
              {describeStep(progress.step)}{" "}
              <span aria-hidden="true">{Math.round(progress.fraction * 100)}%</span>
            </p>
            <progress
              className="conversion-progress"
              aria-label="Conversion"
              max={100}
              value={Math.round(progress.fraction * 100)}
            />
          </>
        )}
      </div>
      {progress.stage === "failed" && (
        <div className="upload-error" role="alert">
          <p>{progress.message}</p>
          {progress.canOcr && lastFile && (
            <button type="button" className="button" onClick={() => send(lastFile, lastFile.name, true)}>
              Recognise the text (OCR)
            </button>
          )}
        </div>
      )}

      <details className="paste-text">
        <summary>…or paste text</summary>
        <form className="form" onSubmit={onPaste}>
          <div className="field">
            <label htmlFor={`${headingId}-pasted`}>Paste here</label>
            <textarea
              id={`${headingId}-pasted`}
              name="pasted"
              rows={8}
              placeholder={"Title\n\nFirst paragraph…\n\nSecond paragraph…"}
            />
          </div>
          <button type="submit" className="button" disabled={isBusy}>
            Convert pasted text
          </button>
        </form>
      </details>
    </section>
  );
}
