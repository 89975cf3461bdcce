"use client";

import type { Thread } from "@/lib/shared/annotations/threads";
import { useDiscussionAnnouncements } from "@/lib/client/announcements/use-discussion-announcements";

/**
 * A polite live region saying, briefly, what other readers just did
 * (“Tomás Herrera commented on ‘the savage, the exotic Mexico’”). Visually
 * hidden: the margin shows the same changes.
 */
export function LiveAnnouncer(props: { threads: Thread[]; viewerId: string; isSynced: boolean }) {
  const message = useDiscussionAnnouncements(props);
  return (
    <div
      className="sr-only"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      aria-label="Discussion updates"
    >
      {message}
    </div>
  );
}
