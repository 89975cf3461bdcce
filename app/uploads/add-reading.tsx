"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, type DragEvent, type FormEvent } from "react";
import { uploadPreviewPath } from "@/lib/shared/urls";

/** Formats the kinds of file the converter reads, for the file picker. */
const ACCEPT =
  ".pdf,.docx,.epub,.md,.markdown,.html,.htm,.txt,text/plain,text/markdown,text/html,application/pdf";
/** The same limit the server enforces, checked first so nobody waits to be refused. */
const MAX_BYTES = 25 * 1024 * 1024;

type Progress =
  | { stage: "idle" }
  | { stage: "uploading"; sent: number; total: number }
  | { stage: "converting" }
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
    const query = new URLSearchParams({ name });
    if (replacesDocumentId) query.set("replaces", replacesDocumentId);
    if (ocr) query.set("ocr", "1");
    const request = new XMLHttpRequest();
    request.open("POST", `/api/uploads?${query.toString()}`);
    request.responseType = "json";
    setProgress({ stage: "uploading", sent: 0, total: body.size });
    request.upload.onprogress = (event) => {
      setProgress({ stage: "uploading", sent: event.loaded, total: event.total || body.size });
    };
    request.upload.onload = () => setProgress({ stage: "converting" });
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
            <p>Converting the text…</p>
            <div className="progress progress-indeterminate" role="progressbar" aria-label="Conversion">
              <div className="progress-bar" />
            </div>
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
