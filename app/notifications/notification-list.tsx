"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { relativeTime, useNow } from "@/lib/client/time";

/** One inbox entry as the page passes it. */
type Entry = {
  id: string;
  title: string;
  excerpt: string;
  seminarTitle: string;
  path: string;
  createdAt: string;
  isRead: boolean;
};

/** The entries, each opening its thread (and marking itself read), with mark read / mark all read. */
export function NotificationList({ notifications }: { notifications: Entry[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const now = useNow();

  async function markRead(body: { ids: string[] } | { all: true }) {
    setError(null);
    try {
      await apiRequest("POST", "/api/notifications/read", body);
      router.refresh();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "Could not mark them read.");
    }
  }

  function open(entry: Entry) {
    if (entry.isRead) return;
    // keepalive: the request outlives the navigation the click starts.
    void fetch("/api/notifications/read", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ids: [entry.id] }),
      credentials: "same-origin",
      keepalive: true,
    }).catch(() => undefined);
  }

  if (notifications.length === 0) {
    return (
      <p className="empty">No notifications yet. Replies, mentions and new readings will appear here.</p>
    );
  }
  const hasUnread = notifications.some((entry) => !entry.isRead);
  return (
    <>
      <div className="notification-toolbar">
        <button
          type="button"
          className="button button-small"
          disabled={!hasUnread}
          onClick={() => void markRead({ all: true })}
        >
          Mark all read
        </button>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <ul className="notification-list" aria-label="Notifications">
        {notifications.map((entry) => (
          <li
            key={entry.id}
            className={entry.isRead ? "notification-item" : "notification-item notification-unread"}
          >
            <div>
              <a href={entry.path} className="notification-title" onClick={() => open(entry)}>
                {entry.isRead ? null : <span className="sr-only">Unread: </span>}
                {entry.title}
              </a>
              {entry.excerpt ? <p className="notification-excerpt">“{entry.excerpt}”</p> : null}
              <p className="notification-meta">
                {entry.seminarTitle} ·{" "}
                <time dateTime={entry.createdAt}>{relativeTime(entry.createdAt, now)}</time>
              </p>
            </div>
            {entry.isRead ? null : (
              <button
                type="button"
                className="button-link"
                aria-label={`Mark read: ${entry.title}`}
                onClick={() => void markRead({ ids: [entry.id] })}
              >
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
