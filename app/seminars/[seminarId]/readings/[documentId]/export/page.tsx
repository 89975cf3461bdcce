import type { Metadata } from "next";
import Link from "next/link";
import { getExportChoices } from "@/lib/server/exports/get-export-choices";
import { readingExportPath, readingPath } from "@/lib/shared/urls";
import { pageLoader } from "@/app/_lib/page-loader";
import { ExportForm } from "@/app/reading/export-form";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ seminarId: string; documentId: string }> };

const exportPage = pageLoader(readingExportPath, getExportChoices);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { seminarId, documentId } = await params;
  return exportPage.metadata(
    [seminarId, documentId],
    (choices) => `Export · ${choices.document.title} · ${choices.seminar.title}`,
    "Export",
  );
}

/** Export a reading with its threads: an annotated copy, Markdown, CSV or Web Annotations. */
export default async function ExportReadingPage({ params }: Props) {
  const { seminarId, documentId } = await params;
  const choices = await exportPage.load(seminarId, documentId);
  return (
    <div className="page page-narrow">
      <Link href={readingPath(choices.seminar.id, choices.document.id)} className="export-back">
        ← Back to the reading
      </Link>
      <p className="eyebrow">Export · {choices.seminar.title}</p>
      <h1 className="page-title">{choices.document.title}</h1>
      <p className="lede">
        Download the text with the seminar’s threads, your private notes, or both — as an annotated copy to
        read or print, or as data for other tools.
      </p>
      <section className="panel" aria-label="Export options">
        <ExportForm
          seminarId={choices.seminar.id}
          documentId={choices.document.id}
          members={choices.members}
          snapshots={choices.snapshots.map((snapshot) => ({
            id: snapshot.id,
            name: snapshot.name,
            createdAt: snapshot.createdAt.toISOString(),
          }))}
        />
      </section>
    </div>
  );
}
