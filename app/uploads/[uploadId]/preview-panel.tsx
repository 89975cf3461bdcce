"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { formText } from "@/lib/client/forms";
import { myTextsPath, readingPath, seminarPath } from "@/lib/shared/urls";
import { ChapterRanges, type ChapterRange } from "./chapter-ranges";

type Props = {
  uploadId: string;
  metadata: { title: string; byline: string; source: string; date: string | null };
  /** Seminars the viewer teaches, to publish to. */
  seminars: { id: string; title: string }[];
  preselectedSeminarId: string | null;
  /** A book's chapters (EPUB), to publish one reading per range; null otherwise. */
  chapters: { title: string; index: number }[] | null;
  /** For a new version: what will happen to the annotations. */
  versionPlan: {
    move: number;
    reanchor: number;
    detach: number;
    detached: { annotationId: string; quote: string }[];
  } | null;
};

const message = (failure: unknown, fallback: string) =>
  failure instanceof ApiError ? failure.message : fallback;

/** The preview's forms: metadata, publish (or confirm a new version), discard. */
export function PreviewPanel({
  uploadId,
  metadata,
  seminars,
  preselectedSeminarId,
  chapters,
  versionPlan,
}: Props) {
  const router = useRouter();
  const [metadataStatus, setMetadataStatus] = useState<string | null>(null);
  const [metadataError, setMetadataError] = useState<string | null>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);
  /** Null publishes the whole text; a list publishes one reading per range of chapters. */
  const [ranges, setRanges] = useState<ChapterRange[] | null>(null);
  const path = `/api/uploads/${uploadId}`;

  async function onSaveMetadata(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setMetadataError(null);
    setMetadataStatus(null);
    try {
      await apiRequest("PATCH", path, {
        title: formText(form, "title"),
        byline: formText(form, "byline"),
        source: formText(form, "source"),
        date: formText(form, "date") || null,
      });
      setMetadataStatus("Saved.");
      router.refresh();
    } catch (failure) {
      setMetadataError(message(failure, "Could not save the details."));
    }
  }

  async function onPublish(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const seminarId = formText(form, "seminarId") || null;
    const due = formText(form, "dueAt");
    setPending(true);
    setPublishError(null);
    try {
      const published = await apiRequest<{ document: { id: string }; texts: unknown[] }>(
        "POST",
        `${path}/publish`,
        {
          seminarId,
          // A due date means the end of that day, in the reader's time zone.
          dueAt: due ? new Date(`${due}T23:59:00`).toISOString() : null,
          instruction: formText(form, "instruction"),
          chapterRanges: ranges ?? [],
        },
      );
      // One reading opens; several are listed on the seminar's page.
      if (!seminarId) router.push(myTextsPath());
      else if (published.texts.length > 1) router.push(seminarPath(seminarId));
      else router.push(readingPath(seminarId, published.document.id));
    } catch (failure) {
      setPublishError(message(failure, "Could not publish the text."));
      setPending(false);
    }
  }

  async function onConfirmVersion() {
    setPending(true);
    setPublishError(null);
    try {
      await apiRequest("POST", `${path}/version`);
      router.push(myTextsPath());
    } catch (failure) {
      setPublishError(message(failure, "Could not replace the text."));
      setPending(false);
    }
  }

  async function onDiscard() {
    setPending(true);
    try {
      await apiRequest("DELETE", path);
      router.push(myTextsPath());
    } catch (failure) {
      setPublishError(message(failure, "Could not discard the upload."));
      setPending(false);
    }
  }

  return (
    <>
      <form
        className="panel form"
        aria-labelledby="details-heading"
        onSubmit={(event) => void onSaveMetadata(event)}
      >
        <h2 id="details-heading" className="panel-title">
          Details
        </h2>
        <div className="field">
          <label htmlFor="meta-title">Title</label>
          <input id="meta-title" name="title" defaultValue={metadata.title} required maxLength={300} />
        </div>
        <div className="field">
          <label htmlFor="meta-byline">Author</label>
          <input id="meta-byline" name="byline" defaultValue={metadata.byline} maxLength={300} />
        </div>
        <div className="field">
          <label htmlFor="meta-source">Source</label>
          <input
            id="meta-source"
            name="source"
            defaultValue={metadata.source}
            maxLength={500}
            placeholder="Publication, issue, year"
          />
        </div>
        <div className="field">
          <label htmlFor="meta-date">
            Date <span className="optional">optional</span>
          </label>
          <input
            id="meta-date"
            name="date"
            defaultValue={metadata.date ?? ""}
            maxLength={100}
            placeholder="1924"
          />
        </div>
        <p className="form-error" role="alert">
          {metadataError}
        </p>
        <div className="form-actions">
          <button type="submit" className="button">
            Save details
          </button>
          <span className="form-status" role="status">
            {metadataStatus}
          </span>
        </div>
      </form>

      {versionPlan ? (
        <section className="panel" aria-labelledby="version-heading">
          <h2 id="version-heading" className="panel-title">
            Replace the current version
          </h2>
          <p>
            Of the annotations on the current version, {versionPlan.move} will move unchanged,{" "}
            {versionPlan.reanchor} will be re-anchored on changed words, and {versionPlan.detach} will be
            detached.
          </p>
          {versionPlan.detached.length > 0 && (
            <>
              <p className="field-hint">
                Detached annotations stay, listed with their passage, for readers to re-place:
              </p>
              <ul className="detached-list">
                {versionPlan.detached.map((annotation) => (
                  <li key={annotation.annotationId}>“{annotation.quote}”</li>
                ))}
              </ul>
            </>
          )}
          <p className="form-error" role="alert">
            {publishError}
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={isPending}
              onClick={() => void onConfirmVersion()}
            >
              Confirm new version
            </button>
            <button
              type="button"
              className="button-link button-link-danger"
              disabled={isPending}
              onClick={() => void onDiscard()}
            >
              Discard
            </button>
          </div>
        </section>
      ) : (
        <form
          className="panel form"
          aria-labelledby="publish-heading"
          onSubmit={(event) => void onPublish(event)}
        >
          <h2 id="publish-heading" className="panel-title">
            Publish
          </h2>
          <div className="field">
            <label htmlFor="publish-seminar">Assign to</label>
            <select id="publish-seminar" name="seminarId" defaultValue={preselectedSeminarId ?? ""}>
              <option value="">My texts only</option>
              {seminars.map((seminar) => (
                <option key={seminar.id} value={seminar.id}>
                  {seminar.title}
                </option>
              ))}
            </select>
          </div>
          {chapters && chapters.length > 1 && (
            <ChapterRanges chapters={chapters} ranges={ranges} onChange={setRanges} />
          )}
          <div className="field">
            <label htmlFor="publish-due">
              Due <span className="optional">optional</span>
            </label>
            <input id="publish-due" name="dueAt" type="date" />
          </div>
          <div className="field">
            <label htmlFor="publish-instruction">
              Instruction <span className="optional">optional</span>
            </label>
            <textarea
              id="publish-instruction"
              name="instruction"
              rows={2}
              maxLength={1000}
              placeholder="What should readers look for?"
            />
          </div>
          <p className="form-error" role="alert">
            {publishError}
          </p>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={isPending}>
              {isPending
                ? "Publishing…"
                : ranges && ranges.length > 1
                  ? `Publish ${ranges.length} readings`
                  : "Publish"}
            </button>
            <button
              type="button"
              className="button-link button-link-danger"
              disabled={isPending}
              onClick={() => void onDiscard()}
            >
              Discard
            </button>
          </div>
        </form>
      )}
    </>
  );
}
