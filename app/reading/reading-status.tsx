"use client";

import { useEffect, useState } from "react";
import type { Awareness } from "y-protocols/awareness";
import { initials } from "@/lib/shared/names";
import { presentUsers, type Present } from "@/lib/client/collab/presence";
import type { RoomState } from "@/lib/client/collab/use-room";

/**
 * How the page's rooms are connected: live once the text and the seminar room have synced;
 * reconnecting when they had been live and a socket dropped (the page stays as it was meanwhile,
 * docs/adr/0037).
 */
export type ConnectionStatus = "live" | "connecting" | "reconnecting" | "offline";

/** The status of a reading's text and seminar rooms. */
export function connectionStatus(
  text: RoomState,
  seminar: RoomState,
  hasBeenLive: boolean,
): ConnectionStatus {
  if (text.isSynced && seminar.isSynced) return "live";
  if (text.closed?.isFinal) return "offline";
  return hasBeenLive ? "reconnecting" : "connecting";
}

const STATUS_LABEL: Record<ConnectionStatus, string> = {
  live: "Live",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/**
 * The line under the avatars. While the page is not connected nobody else can be seen (the
 * rooms' presence comes with the connection): it says so rather than "Only you".
 */
function presenceSummary(status: ConnectionStatus, others: number): string {
  if (others > 0) return `${others} ${others === 1 ? "other is" : "others are"} reading now`;
  if (status === "live") return "Only you are reading now";
  if (status === "offline") return "Offline: who else is reading is not known";
  return status === "reconnecting"
    ? "Reconnecting to see who else is reading…"
    : "Finding who else is reading…";
}

/** Who is reading now, and whether the page is live. */
export function ReadingStatus({
  status,
  awareness,
  viewerId,
}: {
  /** Whether the page is live. */
  status: ConnectionStatus;
  /** The seminar room's presence. */
  awareness: Awareness;
  /** The reader, left out of "others". */
  viewerId: string;
}) {
  const [present, setPresent] = useState<Present[]>([]);
  useEffect(() => {
    const refresh = () => setPresent(presentUsers(awareness, viewerId));
    refresh();
    awareness.on("change", refresh);
    return () => awareness.off("change", refresh);
  }, [awareness, viewerId]);

  const others = present.filter((person) => !person.isMe);
  return (
    <div className="reading-status">
      <span className={`live-dot${status === "live" ? " live-dot-on" : ""}`} role="status" aria-live="polite">
        {STATUS_LABEL[status]}
      </span>
      <section className="presence" aria-label="Reading now">
        <ul className="presence-list">
          {others.map((person) => (
            <li
              key={person.id}
              className="presence-person"
              title={person.role === "INSTRUCTOR" ? `${person.name} (instructor)` : person.name}
            >
              <span
                className="avatar presence-avatar"
                style={{ boxShadow: `0 0 0 2px ${person.color}` }}
                aria-hidden="true"
              >
                {initials(person.name)}
              </span>
              <span className="presence-name">{person.name}</span>
            </li>
          ))}
        </ul>
        <span className="presence-summary">{presenceSummary(status, others.length)}</span>
      </section>
    </div>
  );
}
