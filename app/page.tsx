import Link from "next/link";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { findLibraryDocuments } from "@/lib/server/documents/find-documents";
import { findMySeminars } from "@/lib/server/seminars/find-my-seminars";
import { readingPath, seminarPath } from "@/lib/shared/urls";
import { DueDate } from "./ui/due-date";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await getCurrentUser();
  const [library, seminars] = await Promise.all([
    findLibraryDocuments(),
    findMySeminars(user ? { userId: user.id } : null),
  ]);

  return (
    <div className="page page-home">
      {user ? (
        <section aria-labelledby="seminars-heading" className="home-section">
          <div className="section-head">
            <div>
              <p className="eyebrow">Welcome back, {user.name.split(" ")[0]}</p>
              <h1 id="seminars-heading" className="page-title">
                Your seminars
              </h1>
            </div>
            <Link href="/seminars/new" className="button button-primary">
              New seminar
            </Link>
          </div>
          {seminars.length === 0 ? (
            <div className="empty-state">
              <p>You are not in a seminar yet.</p>
              <p className="empty-state-hint">
                Create one and invite your students, or open the invite link your instructor sent you.
              </p>
            </div>
          ) : (
            <ul className="seminar-list">
              {seminars.map((seminar) => (
                <li key={seminar.id} className="seminar-card">
                  <div className="seminar-card-head">
                    <h2 className="seminar-card-title">
                      <Link href={seminarPath(seminar.id)}>{seminar.title}</Link>
                    </h2>
                    <span className={`role-badge role-${seminar.role.toLowerCase()}`}>
                      {seminar.role === "INSTRUCTOR" ? "Instructor" : "Student"}
                    </span>
                  </div>
                  <p className="seminar-card-meta">
                    {seminar.memberCount} {seminar.memberCount === 1 ? "member" : "members"} ·{" "}
                    {seminar.readings.length} {seminar.readings.length === 1 ? "reading" : "readings"}
                  </p>
                  {seminar.readings.length > 0 && (
                    <ul className="reading-list" aria-label={`Readings of ${seminar.title}`}>
                      {seminar.readings.map((reading) => (
                        <li key={reading.id}>
                          <Link href={readingPath(seminar.id, reading.document.id)} className="reading-link">
                            <span className="reading-link-title">{reading.document.title}</span>
                            <span className="reading-link-byline">{reading.document.byline}</span>
                          </Link>
                          {reading.dueAt && <DueDate date={reading.dueAt} />}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <section className="hero" aria-labelledby="hero-heading">
          <p className="eyebrow">Marginalia</p>
          <h1 id="hero-heading" className="hero-title">
            Read closely, together.
          </h1>
          <p className="hero-lede">
            A seminar reads one text in the browser. Highlight a passage, start a thread in the margin, and
            see your classmates’ notes and questions as they write them.
          </p>
          <div className="hero-actions">
            <Link href="/signup" className="button button-primary">
              Create an account
            </Link>
            <Link href="/signin" className="button">
              Sign in
            </Link>
          </div>
        </section>
      )}

      <section aria-labelledby="library-heading" className="home-section">
        <h2 id="library-heading" className="section-title">
          The library
        </h2>
        {library.length === 0 ? (
          <p className="empty">No texts yet. Add a plain-text file to content/texts and run npm run seed.</p>
        ) : (
          <ul className="document-list">
            {library.map((document) => (
              <li key={document.id} className="document-card">
                <h3 className="document-card-title">
                  <Link href={`/texts/${document.slug}`}>{document.title}</Link>
                </h3>
                <p className="document-card-byline">{document.byline}</p>
                <p className="document-card-source">{document.source}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
