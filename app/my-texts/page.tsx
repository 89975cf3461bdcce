import type { Metadata } from "next";
import Link from "next/link";
import { pageLoader } from "@/app/_lib/page-loader";
import { AddReading } from "@/app/uploads/add-reading";
import { findMyTexts } from "@/lib/server/documents/find-my-texts";
import { myTextsPath, readingPath, uploadPreviewPath } from "@/lib/shared/urls";
import "../uploads/uploads.css";

export const dynamic = "force-dynamic";

const loader = pageLoader(
  () => myTextsPath(),
  (actor) => findMyTexts(actor),
);

export async function generateMetadata(): Promise<Metadata> {
  return loader.metadata([], () => "My texts", "My texts");
}

/** The texts one has uploaded, the uploads waiting in preview, and "Add a reading". */
export default async function MyTextsPage() {
  const { documents, uploads } = await loader.load();
  return (
    <div className="page page-my-texts">
      <header>
        <p className="eyebrow">Your library</p>
        <h1 className="page-title">My texts</h1>
        <p className="lede">Texts you uploaded. Only you see them, and the seminars you assign them to.</p>
      </header>
      <AddReading />
      {uploads.length > 0 && (
        <section aria-labelledby="waiting-heading">
          <h2 id="waiting-heading" className="section-title">
            Waiting in preview
          </h2>
          <ul className="text-list">
            {uploads.map((upload) => (
              <li key={upload.id} className="text-list-item">
                <Link href={uploadPreviewPath(upload.id)}>{upload.title}</Link>
                <span className="muted"> · {upload.filename}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="texts-heading">
        <h2 id="texts-heading" className="section-title">
          Published
        </h2>
        {documents.length === 0 ? (
          <div className="empty-state">
            <p>No texts yet.</p>
            <p className="empty-state-hint">
              Add a reading above: it opens in a preview before anyone else sees it.
            </p>
          </div>
        ) : (
          <ul className="text-list">
            {documents.map((document) => (
              <li key={document.id} className="text-list-item">
                <Link href={`/texts/${document.slug}`} className="text-list-title">
                  {document.title}
                </Link>
                {document.byline && <span className="muted"> · {document.byline}</span>}
                {document.previousVersionId && <span className="badge">new version</span>}
                {document.readings.length > 0 && (
                  <p className="text-list-readings">
                    Read in{" "}
                    {document.readings.map((reading, index) => (
                      <span key={reading.seminar.id}>
                        {index > 0 && ", "}
                        <Link href={readingPath(reading.seminar.id, document.id)}>
                          {reading.seminar.title}
                        </Link>
                      </span>
                    ))}
                  </p>
                )}
                <details className="new-version">
                  <summary>Upload a new version</summary>
                  <AddReading replacesDocumentId={document.id} heading={`New version of ${document.title}`} />
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
