"use client";

import { useEffect, useState } from "react";
import { NOTIFICATIONS_PATH } from "@/lib/shared/urls";

type Props = {
  /** The unread count when the page was rendered. */
  initialCount: number;
};

/**
 * The header's bell: a link to the inbox with the unread count, kept live by
 * the server-sent events of /api/notifications/stream (EventSource reconnects
 * by itself; each message carries the whole count).
 */
export function NotificationBell({ initialCount }: Props) {
  const [count, setCount] = useState(initialCount);
  useEffect(() => {
    const source = new EventSource("/api/notifications/stream");
    source.addEventListener("unread", (event) => {
      const next = Number((event as MessageEvent<string>).data);
      if (Number.isFinite(next)) setCount(next);
    });
    return () => source.close();
  }, []);
  const label = count > 0 ? `Notifications, ${count} unread` : "Notifications";
  return (
    <a href={NOTIFICATIONS_PATH} className="notification-bell" aria-label={label} title={label}>
      <svg
        aria-hidden="true"
        width="18"
        height="18"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count > 0 ? (
        <span className="notification-count" aria-hidden="true">
          {count > 99 ? "99+" : count}
        </span>
      ) : null}
    </a>
  );
}
