import type { Metadata } from "next";
import { pageLoader } from "@/app/_lib/page-loader";
import { ReadingText } from "@/app/reading/reading-text";
import { getUploadPage } from "@/lib/server/uploads/get-upload-page";
import { uploadPreviewPath } from "@/lib/shared/urls";
import { PreviewPanel } from "./preview-panel";
import "../uploads.css";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ uploadId: string }>; searchParams: Promise<{ seminar?: string }> };

const loader = pageLoader((uploadId: string) => uploadPreviewPath(uploadId), getUploadPage);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { uploadId } = await params;
  return loader.metadata([uploadId], (data) => `Preview: ${data.upload.metadata.title}`, "Preview");
}

const FORMAT_NAMES: Record<string, string> = {
  pdf: "PDF",
  docx: "Word document",
  epub: "EPUB",
  markdown: "Markdown",
  html: "Web page",
  text: "Plain text",
};

function plural(count: number, one: string, many: string) {
  return `${count} ${count === 1 ? one : many}`;
}

/** The preview of an upload: the text as it will read, what was found, metadata, warnings, publish or discard. */
export default async function UploadPreviewPage({ params, searchParams }: Props) {
  const { uploadId } = await params;
  const { seminar } = await searchParams;
  const { upload, seminars, versionPlan } = await loader.load(uploadId);
  const { found } = upload;
  const facts = [
    plural(found.sections, "section", "sections"),
    plural(found.notes, "note", "notes"),
    found.pages > 0 ? plural(found.pages, "page", "pages") : null,
    found.images > 0 ? plural(found.images, "image", "images") : null,
    found.tables > 0 ? plural(found.tables, "table", "tables") : null,
    found.verseLines > 0 ? plural(found.verseLines, "line of verse", "lines of verse") : null,
  ].filter((fact): fact is string => fact !== null);
  return (
    <div className="reading-layout upload-preview">
      <article className="reading-column" aria-label={`Preview of ${upload.metadata.title}`}>
        <p className="preview-banner">
          Preview — this is how the text will read. Nobody else can see it until you publish it.
        </p>
        <ReadingText content={upload.content} />
      </article>
      <aside className="margin-column preview-side" aria-label="About this upload">
        <section className="panel" aria-labelledby="found-heading">
          <h2 id="found-heading" className="panel-title">
            What we found
          </h2>
          <p className="preview-file">
            {upload.filename} · {FORMAT_NAMES[upload.format] ?? upload.format}
          </p>
          <dl className="found-list">
            <dt>Title</dt>
            <dd>{upload.metadata.title}</dd>
            <dt>Author</dt>
            <dd>{upload.metadata.byline || <span className="muted">none found</span>}</dd>
            <dt>Contents</dt>
            <dd>{facts.join(" · ")}</dd>
          </dl>
          {upload.warnings.length > 0 ? (
            <>
              <h3 className="warnings-title">Worth knowing</h3>
              <ul className="warning-list">
                {upload.warnings.map((warning, index) => (
                  <li key={`${warning.code}-${index}`}>{warning.message}</li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">Nothing was lost in the conversion.</p>
          )}
        </section>
        <PreviewPanel
          uploadId={upload.id}
          metadata={upload.metadata}
          seminars={seminars}
          preselectedSeminarId={seminars.some((s) => s.id === seminar) ? (seminar ?? null) : null}
          chapters={upload.chapters}
          versionPlan={versionPlan}
        />
      </aside>
    </div>
  );
}
