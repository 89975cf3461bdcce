import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getSeminarReading } from "@/lib/server/seminars/get-seminar-reading";
import { isAppError } from "@/lib/shared/errors";
import { signInUrl } from "@/lib/shared/urls";
import { LiveReading } from "@/app/reading/live-reading";
import { ReadingText } from "@/app/reading/reading-text";
import { roomName } from "@/lib/shared/rooms";
import { DueDate } from "@/app/ui/due-date";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ seminarId: string; documentId: string }> };

async function load(seminarId: string, documentId: string) {
  const user = await getCurrentUser();
  if (!user) redirect(signInUrl(`/seminars/${seminarId}/readings/${documentId}`));
  try {
    return await getSeminarReading({ userId: user.id }, seminarId, documentId);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const user = await getCurrentUser();
  if (!user) return { title: "Reading" };
  const { seminarId, documentId } = await params;
  try {
    const reading = await getSeminarReading({ userId: user.id }, seminarId, documentId);
    return { title: `${reading.document.title} · ${reading.seminar.title}` };
  } catch {
    return { title: "Not found" };
  }
}

export default async function SeminarReadingPage({ params }: Props) {
  const { seminarId, documentId } = await params;
  const reading = await load(seminarId, documentId);
  return (
    <>
      <div className="reading-bar">
        <Link href={`/seminars/${reading.seminar.id}`} className="reading-bar-seminar">
          ← {reading.seminar.title}
        </Link>
        <span>
          {reading.dueAt && (
            <>
              <DueDate date={reading.dueAt} />
              {" · "}
            </>
          )}
          {reading.can.review && (
            <>
              <Link
                href={`/seminars/${reading.seminar.id}/readings/${reading.document.id}/review`}
                className="reading-bar-seminar"
              >
                Review
              </Link>
              {reading.can.export && " · "}
            </>
          )}
          {reading.can.export && (
            <Link
              href={`/seminars/${reading.seminar.id}/readings/${reading.document.id}/export`}
              className="reading-bar-seminar"
            >
              Export
            </Link>
          )}
        </span>
      </div>
      <LiveReading
        seminarId={reading.seminar.id}
        documentId={reading.document.id}
        textRoom={roomName({ kind: "text", documentId: reading.document.id })}
        seminarRoom={roomName({
          kind: "seminar",
          seminarId: reading.seminar.id,
          documentId: reading.document.id,
        })}
        notesRoom={roomName({ kind: "notes", documentId: reading.document.id, userId: reading.viewerId })}
        can={{ editText: reading.can.editText, guide: reading.can.guide, moderate: reading.can.moderate }}
        title={reading.document.title}
        viewer={{ id: reading.viewerId, name: reading.viewerName }}
        instruction={reading.instruction || null}
      >
        <ReadingText content={reading.document.content} />
      </LiveReading>
    </>
  );
}
