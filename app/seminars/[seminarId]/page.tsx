import type { Metadata } from "next";
import Link from "next/link";
import { getRequestOrigin } from "@/lib/server/http/request-origin";
import { getSeminar } from "@/lib/server/seminars/get-seminar";
import { initials } from "@/lib/shared/names";
import { readingPath, readingReviewPath, seminarPath } from "@/lib/shared/urls";
import { pageLoader } from "@/app/_lib/page-loader";
import { DueDate } from "@/app/ui/due-date";
import { AddReading } from "@/app/uploads/add-reading";
import "@/app/uploads/uploads.css";
import { AssignReadingForm } from "./assign-reading-form";
import { InvitePanel } from "./invite-panel";
import { LeaveSeminarButton, MemberActions } from "./member-actions";
import { PostFirstForm } from "./post-first-form";
import { RemoveReadingButton } from "./reading-actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ seminarId: string }> };

const seminarPage = pageLoader(seminarPath, getSeminar);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return seminarPage.metadata([(await params).seminarId], (seminar) => seminar.title, "Seminar");
}

export default async function SeminarPage({ params }: Props) {
  const { seminarId } = await params;
  const seminar = await seminarPage.load(seminarId);
  const isInstructor = seminar.role === "INSTRUCTOR";

  return (
    <div className="page page-seminar">
      <header className="seminar-header">
        <p className="eyebrow">{isInstructor ? "Your seminar · Instructor" : "Seminar"}</p>
        <h1 className="page-title">{seminar.title}</h1>
        {seminar.description && <p className="lede">{seminar.description}</p>}
      </header>

      <div className="seminar-grid">
        <section aria-labelledby="readings-heading" className="seminar-main">
          <h2 id="readings-heading" className="section-title">
            Readings
          </h2>
          {seminar.readings.length === 0 ? (
            <div className="empty-state">
              <p>No readings yet.</p>
              {isInstructor && <p className="empty-state-hint">Assign a text from the library below.</p>}
            </div>
          ) : (
            <ul className="reading-cards">
              {seminar.readings.map((reading) => (
                <li key={reading.id} className="reading-card">
                  <div className="reading-card-body">
                    <h3 className="reading-card-title">
                      <Link href={readingPath(seminar.id, reading.document.id)}>
                        {reading.document.title}
                      </Link>
                    </h3>
                    <p className="reading-card-byline">
                      {reading.document.byline} ·{" "}
                      <span className="reading-card-source">{reading.document.source}</span>
                    </p>
                    {reading.instruction && <p className="reading-card-instruction">{reading.instruction}</p>}
                    {isInstructor ? (
                      <PostFirstForm
                        seminarId={seminar.id}
                        readingId={reading.id}
                        title={reading.document.title}
                        count={reading.postFirstCount}
                      />
                    ) : (
                      reading.postFirstCount && (
                        <p className="reading-card-post-first">
                          Post {reading.postFirstCount} annotation{reading.postFirstCount === 1 ? "" : "s"}{" "}
                          first, then see your classmates&rsquo;.
                        </p>
                      )
                    )}
                  </div>
                  <div className="reading-card-side">
                    {reading.dueAt && <DueDate date={reading.dueAt} />}
                    <Link href={readingPath(seminar.id, reading.document.id)} className="button button-small">
                      Open reading
                    </Link>
                    <Link
                      href={readingReviewPath(seminar.id, reading.document.id)}
                      className="button-link"
                      aria-label={`Review the discussion of ${reading.document.title}`}
                    >
                      Review
                    </Link>
                    {isInstructor && (
                      <RemoveReadingButton
                        seminarId={seminar.id}
                        readingId={reading.id}
                        title={reading.document.title}
                      />
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {isInstructor && <AddReading seminarId={seminar.id} />}
          {isInstructor && <AssignReadingForm seminarId={seminar.id} documents={seminar.assignable} />}
        </section>

        <aside className="seminar-side">
          {isInstructor && seminar.invite !== undefined && (
            <InvitePanel
              seminarId={seminar.id}
              origin={await getRequestOrigin()}
              invite={
                seminar.invite
                  ? { code: seminar.invite.code, expiresAt: seminar.invite.expiresAt?.toISOString() ?? null }
                  : null
              }
            />
          )}
          <section aria-labelledby="members-heading" className="panel">
            <h2 id="members-heading" className="panel-title">
              Members <span className="count">{seminar.members.length}</span>
            </h2>
            <ul className="member-list">
              {seminar.members.map((member) => (
                <li key={member.id} className="member">
                  <span className="avatar" aria-hidden="true">
                    {initials(member.name)}
                  </span>
                  <span className="member-name">
                    {member.name}
                    {member.id === seminar.viewerId && <span className="member-you"> (you)</span>}
                    {isInstructor && <span className="member-email">{member.email}</span>}
                  </span>
                  <span className={`role-badge role-${member.role.toLowerCase()}`}>
                    {member.role === "INSTRUCTOR" ? "Instructor" : "Student"}
                  </span>
                  {isInstructor && member.id !== seminar.viewerId && (
                    <MemberActions
                      seminarId={seminar.id}
                      member={{ id: member.id, name: member.name, role: member.role }}
                    />
                  )}
                </li>
              ))}
            </ul>
            <LeaveSeminarButton seminarId={seminar.id} userId={seminar.viewerId} title={seminar.title} />
          </section>
        </aside>
      </div>
    </div>
  );
}
