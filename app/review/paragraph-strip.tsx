import { Fragment, type ReactNode } from "react";
import type { ParagraphActivity } from "@/lib/shared/review/review-types";
import { StripBar } from "./strip-bar";

type Props = {
  paragraphs: ParagraphActivity[];
  /** The review filtered to one paragraph (keeping the other filters). */
  hrefFor: (index: number) => string;
  /** The paragraph the results are filtered to, if any. */
  currentIndex: number | null;
};

function describe(paragraph: ParagraphActivity): string {
  const threads = paragraph.threads === 1 ? "1 thread" : `${paragraph.threads} threads`;
  const comments = paragraph.comments === 1 ? "1 comment" : `${paragraph.comments} comments`;
  return `${paragraph.label}: ${threads}, ${comments}`;
}

/**
 * The current text, block by block, with a slim bar beside each block for
 * the discussion it drew (threads plus comments, relative to the busiest).
 * Each row holds its bar and its text, so they stay aligned however the text
 * wraps. The text is rendered from plain segments: no HTML.
 */
export function ParagraphStrip({ paragraphs, hrefFor, currentIndex }: Props) {
  const most = Math.max(1, ...paragraphs.map((paragraph) => paragraph.threads + paragraph.comments));
  return (
    <ol className="paragraph-strip">
      {paragraphs.map((paragraph) => {
        const weight = paragraph.threads + paragraph.comments;
        return (
          <li
            key={paragraph.index}
            className={`strip-row strip-row-${paragraph.kind}${currentIndex === paragraph.index ? " strip-row-current" : ""}`}
          >
            <StripBar
              label={describe(paragraph)}
              share={weight / most}
              href={paragraph.threads > 0 ? hrefFor(paragraph.index) : null}
              isCurrent={currentIndex === paragraph.index}
            />
            <div className="strip-text">
              {paragraph.kind === "note" && <span className="strip-note-label">{paragraph.label}. </span>}
              {paragraph.segments.map((segment, index) => {
                if ("noteRef" in segment) return <sup key={index}>{segment.noteRef}</sup>;
                let node: ReactNode = segment.text;
                if (segment.italic) node = <em>{node}</em>;
                if (segment.bold) node = <strong>{node}</strong>;
                return <Fragment key={index}>{node}</Fragment>;
              })}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
