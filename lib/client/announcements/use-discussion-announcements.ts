"use client";

import { useEffect, useRef, useState } from "react";
import type { Thread } from "@/lib/shared/annotations/threads";
import { describeChanges, summarizeChanges, type DiscussionChange } from "./describe-changes";

/** How long changes gather before one announcement says them all. */
export const COALESCE_MS = 1500;

/**
 * The live region's text for other readers' changes. Starts listening once the
 * seminar room has synced (the discussion already there is not news); changes
 * arriving within COALESCE_MS of the first make one announcement.
 */
export function useDiscussionAnnouncements(options: {
  threads: Thread[];
  viewerId: string;
  isSynced: boolean;
}): string {
  const { threads, viewerId, isSynced } = options;
  const [message, setMessage] = useState("");
  const baseline = useRef<Thread[] | null>(null);
  const queued = useRef<DiscussionChange[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!isSynced) return;
    if (baseline.current === null) {
      baseline.current = threads;
      return;
    }
    const changes = describeChanges(baseline.current, threads, viewerId);
    baseline.current = threads;
    if (changes.length === 0) return;
    queued.current.push(...changes);
    timer.current ??= setTimeout(() => {
      timer.current = null;
      const text = summarizeChanges(queued.current);
      queued.current = [];
      setMessage(text);
    }, COALESCE_MS);
  }, [threads, viewerId, isSynced]);

  // The one timer this hook starts ends with it.
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return message;
}
