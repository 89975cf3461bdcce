import type { JSONContent } from "@tiptap/core";
import type { Metadata } from "next";
import Link from "next/link";
import { findReadingPreview } from "@/lib/server/annotations/find-first-threads";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getSeminarReading } from "@/lib/server/seminars/get-seminar-reading";
import { SkipLinks } from "@/app/reading/skip-links";
import { readingExportPath, readingPath, readingReviewPath, seminarPath } from "@/lib/shared/urls";
import { pageLoader } from "@/app/_lib/page-loader";
import { LiveReading } from "@/app/reading/live-reading";
import { MarginPreview } from "@/app/reading/margin-preview";
import { ReadingText } from "@/app/reading/reading-text";
import { TableOfContents } from "@/app/reading/table-of-contents";
import { contentsOf } from "@/lib/shared/documents/table-of-contents";
import { roomName } from "@/lib/shared/rooms";
import { DueDate } from "@/app/ui/due-date";
import { EditCopyDialog } from "@/app/reading/edit-copy-dialog";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ seminarId: string; documentId: string }> };

const readingPage = pageLoader(readingPath, getSeminarReading);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { seminarId, documentId } = await params;
  return readingPage.metadata(
    [seminarId, documentId],
    (reading) => `${reading.document.title} · ${reading.seminar.title}`,
    "Reading",
  );
}

export default async function SeminarReadingPage({ params }: Props) {
  const { seminarId, documentId } = await params;
  // The preview is read beside the reading (it checks access itself and never throws); it is
  // used only once the reading has loaded, so a refused viewer is never shown any of it.
  const viewer = await getCurrentUser();
  const previewRead = viewer && findReadingPreview({ userId: viewer.id }, seminarId, documentId);
  const reading = await readingPage.load(seminarId, documentId);
  const seminarRoom = roomName(
    // A student who must post first never opens the seminar room (docs/adr/0019).
    reading.gate.isLocked
      ? {
          kind: "view",
          seminarId: reading.seminar.id,
          documentId: reading.document.id,
          userId: reading.viewerId,
        }
      : { kind: "seminar", seminarId: reading.seminar.id, documentId: reading.document.id },
  );
  // What the rows say of the discussion's start, in the first paint: the margin's first threads
  // and the first screen's highlights, shown until the seminar room has synced (with thousands
  // of threads that takes seconds). A student who must post first gets none (docs/adr/0019).
  const preview = reading.gate.isLocked ? null : await previewRead;
  return (
    <>
      <SkipLinks />
      <div className="reading-bar">
        <Link href={seminarPath(reading.seminar.id)} className="reading-bar-seminar">
          ← {reading.seminar.title}
        </Link>
        <span>
          {reading.dueAt && (
            <>
              <DueDate date={reading.dueAt} />
              {" · "}
            </>
          )}
          {reading.can.copyText && (
            <>
              <EditCopyDialog seminarId={reading.seminar.id} documentId={reading.document.id} />
              {" · "}
            </>
          )}
          {reading.can.review && (
            <>
              <Link
                href={readingReviewPath(reading.seminar.id, reading.document.id)}
                className="reading-bar-link"
              >
                Review
              </Link>
              {reading.can.export && " · "}
            </>
          )}
          {reading.can.export && (
            <Link
              href={readingExportPath(reading.seminar.id, reading.document.id)}
              className="reading-bar-link"
            >
              Export
            </Link>
          )}
        </span>
      </div>
      <TableOfContents entries={contentsOf(reading.document.content as JSONContent)} />
      <LiveReading
        // A new seminar room (the post-first gate opened or closed) starts the live page afresh:
        // its editor, presence and margin are bound to the room they were made with.
        key={seminarRoom}
        seminarId={reading.seminar.id}
        documentId={reading.document.id}
        textRoom={roomName({ kind: "text", documentId: reading.document.id })}
        seminarRoom={seminarRoom}
        mustPostFirst={reading.gate.isLocked}
        notesRoom={roomName({ kind: "notes", documentId: reading.document.id, userId: reading.viewerId })}
        can={{ editText: reading.can.editText, guide: reading.can.guide, moderate: reading.can.moderate }}
        title={reading.document.title}
        viewer={{ id: reading.viewerId, name: reading.viewerName }}
        instruction={reading.instruction || null}
        members={reading.members}
        tags={reading.tags}
        firstPassages={preview?.passages}
        marginPreview={preview && <MarginPreview threads={preview.threads} />}
      >
        <ReadingText content={reading.document.content} passages={preview?.passages} />
      </LiveReading>
    </>
  );
}
