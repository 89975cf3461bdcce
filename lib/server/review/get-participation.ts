import type { ParticipantActivity, ParticipationReport } from "@/lib/shared/review/review-types";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { countByParagraph, loadPlacedDiscussion } from "./paragraph-activity";
import { requireReading } from "../seminars/require-reading";

type Tally = {
  activity: ParticipantActivity;
  ranges: { start: number; end: number }[];
};

/**
 * Who took part in the discussion of a reading, and how (instructors only):
 * per member, what they highlighted and wrote in the seminar's shared layer,
 * how much of the text they annotated and when; and per paragraph of the
 * current text, how much discussion it drew. Private notes never count:
 * not even their number is anyone else's business.
 */
export async function getParticipation(
  actor: Actor,
  seminarId: string,
  documentId: string,
): Promise<ParticipationReport> {
  await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.viewParticipation,
    "Only the seminar's instructors can see participation.",
  );
  await requireReading(seminarId, documentId, { id: true });

  const members = await db.membership.findMany({
    where: { seminarId },
    select: { role: true, user: { select: { id: true, name: true } } },
  });
  const discussion = await loadPlacedDiscussion(seminarId, documentId);

  const tallies = new Map<string, Tally>(
    members.map((member) => [
      member.user.id,
      {
        activity: {
          ...member.user,
          role: member.role,
          highlights: 0,
          comments: 0,
          replies: 0,
          words: 0,
          passages: 0,
          charactersCovered: 0,
          firstActivityAt: null,
          lastActivityAt: null,
        },
        ranges: [],
      },
    ]),
  );
  const touch = (tally: Tally, at: Date) => {
    const iso = at.toISOString();
    const { activity } = tally;
    if (!activity.firstActivityAt || iso < activity.firstActivityAt) activity.firstActivityAt = iso;
    if (!activity.lastActivityAt || iso > activity.lastActivityAt) activity.lastActivityAt = iso;
  };

  for (const row of discussion.rows) {
    const author = tallies.get(row.authorId);
    if (author) {
      if (row.kind === "HIGHLIGHT") author.activity.highlights += 1;
      else author.activity.comments += 1;
      touch(author, row.createdAt);
      const place = discussion.located.get(row.id);
      if (place && place.end > place.start) author.ranges.push({ start: place.start, end: place.end });
    }
    for (const comment of row.comments) {
      const writer = tallies.get(comment.authorId);
      if (!writer) continue;
      if (!comment.opens) writer.activity.replies += 1;
      writer.activity.words += comment.words;
      touch(writer, comment.createdAt);
    }
  }

  const participants = [...tallies.values()].map(({ activity, ranges }) => {
    const merged = mergeRanges(ranges);
    return {
      ...activity,
      passages: merged.length,
      charactersCovered: merged.reduce((sum, range) => sum + range.end - range.start, 0),
    };
  });
  participants.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return {
    participants,
    paragraphs: countByParagraph(discussion),
    textLength: discussion.text.plainText.length,
  };
}

/** Overlapping or touching ranges merged into one. */
function mergeRanges(ranges: { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: { start: number; end: number }[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}
