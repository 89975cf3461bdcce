import Link from "next/link";
import { formatDay } from "@/lib/shared/review/snapshots";
import type { ParticipantActivity } from "@/lib/shared/review/review-types";

type Props = {
  participants: ParticipantActivity[];
  /** Characters in the current text, for the share covered. */
  textLength: number;
  /** The review page filtered to one participant. */
  hrefFor: (participantId: string) => string;
};

const percent = (part: number, whole: number) =>
  whole === 0 || part === 0 ? "0%" : part / whole < 0.01 ? "<1%" : `${Math.round((part / whole) * 100)}%`;

/** Who took part, and how (instructors only: the page renders it for them alone). */
export function ParticipationTable({ participants, textLength, hrefFor }: Props) {
  return (
    // Focusable, so a keyboard can scroll the table sideways on a narrow screen.
    <div className="participation-scroll" role="region" aria-label="Participation per member" tabIndex={0}>
      <table className="participation-table">
        <caption className="sr-only">
          Participation per member: highlights, comment threads, replies, words written, passages annotated,
          share of the text covered, first and last activity.
        </caption>
        <thead>
          <tr>
            <th scope="col">Participant</th>
            <th scope="col" className="num">
              Highlights
            </th>
            <th scope="col" className="num">
              Comments
            </th>
            <th scope="col" className="num">
              Replies
            </th>
            <th scope="col" className="num">
              Words
            </th>
            <th scope="col" className="num">
              Passages
            </th>
            <th scope="col" className="num">
              Text covered
            </th>
            <th scope="col">First activity</th>
            <th scope="col">Last activity</th>
          </tr>
        </thead>
        <tbody>
          {participants.map((person) => {
            const isSilent = person.firstActivityAt === null;
            return (
              <tr key={person.id} className={isSilent ? "participation-silent" : undefined}>
                <th scope="row">
                  {isSilent ? (
                    person.name
                  ) : (
                    <Link href={hrefFor(person.id)} title={`Show ${person.name}’s threads`}>
                      {person.name}
                    </Link>
                  )}
                  {person.role === "INSTRUCTOR" && <span className="badge-instructor">Instructor</span>}
                </th>
                <td className="num">{person.highlights}</td>
                <td className="num">{person.comments}</td>
                <td className="num">{person.replies}</td>
                <td className="num">{person.words}</td>
                <td className="num">{person.passages}</td>
                <td className="num" title={`${person.charactersCovered} characters`}>
                  {percent(person.charactersCovered, textLength)}
                </td>
                <td>{person.firstActivityAt ? <Day iso={person.firstActivityAt} /> : "—"}</td>
                <td>{person.lastActivityAt ? <Day iso={person.lastActivityAt} /> : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Day({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={new Date(iso).toUTCString()}>
      {formatDay(iso)}
    </time>
  );
}
