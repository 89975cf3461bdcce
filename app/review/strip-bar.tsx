"use client";

import Link from "next/link";
import { Tooltip } from "radix-ui";

type Props = {
  /** "Paragraph 4: 3 threads, 7 comments". */
  label: string;
  /** 0…1 of the busiest paragraph's discussion. */
  share: number;
  /** The review filtered to this paragraph's threads; null for a paragraph nobody discussed. */
  href: string | null;
  /** This paragraph is the one the results are filtered to. */
  isCurrent: boolean;
};

/**
 * One bar of the paragraph strip. A discussed paragraph's bar is a link that
 * filters the results to its threads, with the counts in a tooltip for
 * sighted pointer and keyboard users and in its accessible name for everyone.
 */
export function StripBar({ label, share, href, isCurrent }: Props) {
  const bar = (
    <span
      className="strip-bar"
      style={{ inlineSize: `${Math.max(share, 0.08) * 100}%` }}
      aria-hidden="true"
    />
  );
  if (!href) {
    return (
      <span className="strip-cell strip-cell-empty" role="img" aria-label={label}>
        <span className="strip-bar strip-bar-empty" aria-hidden="true" />
      </span>
    );
  }
  return (
    <Tooltip.Provider delayDuration={150}>
      <Tooltip.Root>
        <Tooltip.Trigger asChild>
          <Link
            href={href}
            scroll={false}
            className={`strip-cell${isCurrent ? " strip-cell-current" : ""}`}
            aria-label={`${label}. Show its threads.`}
            aria-current={isCurrent ? "true" : undefined}
          >
            {bar}
          </Link>
        </Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content className="strip-tooltip" side="left" sideOffset={6}>
            {label}
            <Tooltip.Arrow className="strip-tooltip-arrow" />
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
    </Tooltip.Provider>
  );
}
