import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getExportChoices } from "@/lib/server/exports/get-export-choices";
import { isAppError } from "@/lib/shared/errors";
import { signInUrl } from "@/lib/shared/urls";
import { ExportForm } from "@/app/reading/export-form";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ seminarId: string; documentId: string }> };

async function load(seminarId: string, documentId: string) {
  const user = await getCurrentUser();
  if (!user) redirect(signInUrl(`/seminars/${seminarId}/readings/${documentId}/export`));
  try {
    return await getExportChoices({ userId: user.id }, seminarId, documentId);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const user = await getCurrentUser();
  if (!user) return { title: "Export" };
  const { seminarId, documentId } = await params;
  try {
    const choices = await getExportChoices({ userId: user.id }, seminarId, documentId);
    return { title: `Export · ${choices.document.title} · ${choices.seminar.title}` };
  } catch {
    return { title: "Not found" };
  }
}

/** Export a reading with its threads: an annotated copy, Markdown, CSV or Web Annotations. */
export default async function ExportReadingPage({ params }: Props) {
  const { seminarId, documentId } = await params;
  const choices = await load(seminarId, documentId);
  return (
    <div className="page page-narrow">
      <Link href={`/seminars/${choices.seminar.id}/readings/${choices.document.id}`} className="export-back">
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
