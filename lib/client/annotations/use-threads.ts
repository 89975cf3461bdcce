"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type * as Y from "yjs";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";
import {
  createSeminarThreadsReader,
  type SeminarThreadsReader,
  readCategories,
  readPrivateNotes,
  type Thread,
} from "@/lib/shared/annotations/threads";
import { followDocChanges } from "../doc-changes";
import type { PendingWrites } from "./pending-writes";
import { type LoadOptions, useThreadBodies, withBody } from "./use-thread-bodies";

/** A number that changes whenever `doc` changes. */
export function useDocVersion(doc: Y.Doc | null | undefined): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!doc) return;
    const bump = () => setVersion((value) => value + 1);
    const stop = followDocChanges(doc, bump);
    bump();
    return stop;
  }, [doc]);
  return version;
}

/**
 * Every thread the margin knows: shared, private, and pending ones, shared threads with
 * their full bodies once loaded (docs/adr/0027); plus the categories, and how to load a body.
 */
export function useThreads(options: {
  seminarDoc: Y.Doc | null;
  /** Whether the seminar room has synced: its threads are the margin's from then on. */
  isSeminarSynced: boolean;
  notesDoc: Y.Doc | null;
  me: { id: string; name: string };
  pending: PendingWrites;
}): {
  threads: Thread[];
  categories: ProjectedCategory[];
  loadThread: (id: string, options?: LoadOptions) => Promise<void>;
  /** False while the seminar room has changes not yet read into `threads` (a large sync is read in slices). */
  isCaughtUp: boolean;
} {
  const { seminarDoc, isSeminarSynced, notesDoc, me, pending } = options;
  const seminarVersion = useDocVersion(seminarDoc);
  const notesVersion = useDocVersion(notesDoc);
  const { threads: shared, isCaughtUp } = useSharedThreads(seminarDoc, isSeminarSynced);

  // The versions are what change when the docs do; reading them ties the memo to them.
  const notes = useMemo(() => {
    void notesVersion;
    return notesDoc ? readPrivateNotes(notesDoc, me) : [];
  }, [notesDoc, notesVersion, me]);
  const categories = useMemo(() => {
    void seminarVersion;
    return seminarDoc ? readCategories(seminarDoc) : [];
  }, [seminarDoc, seminarVersion]);

  const { bodies, load: loadThread } = useThreadBodies(shared);
  // Threads keep their identity unless their body changed, so memoised cards stay put.
  const withBodies = useMemo(
    () => (bodies.size === 0 ? shared : shared.map((thread) => withBody(thread, bodies.get(thread.id)))),
    [shared, bodies],
  );

  const threads = useMemo(() => {
    const known = new Map<string, Thread>();
    for (const thread of [...withBodies, ...notes]) known.set(thread.id, thread);
    for (const [id, thread] of pending.threads) if (!known.has(id)) known.set(id, thread);
    for (const [id, entry] of pending.comments) {
      const thread = known.get(entry.annotationId);
      if (!thread || thread.comments.some((comment) => comment.id === id)) continue;
      known.set(entry.annotationId, {
        ...thread,
        comments: [...thread.comments, { ...entry.comment, isPending: entry.status === "pending" }],
      });
    }
    return [...known.values()];
  }, [withBodies, notes, pending]);

  return { threads, categories, loadThread, isCaughtUp };
}

/** How long one slice of reading the seminar room's changes may hold the main thread (ms). */
const READ_SLICE_MS = 40;

type SharedThreads = { threads: Thread[]; isCaughtUp: boolean };

/**
 * The seminar room's shared threads, read by one incremental reader per room. The reader
 * observes the room from its creation (no update slips past before the effect runs); the
 * effect detaches it on unmount and re-attaches it if React mounts the component again.
 *
 * What an update changed is read after the update's task, in slices of about
 * {@link READ_SLICE_MS} with the main thread free between them, and the threads change once,
 * when all of it is read: a reader's first sync of a 10,000-thread room holds 17,500 entries,
 * and parsing them all in the task that applied the sync held the page for ~270 ms more.
 * Meanwhile `isCaughtUp` is false and `threads` are those read before.
 *
 * Nothing is published before the room's first sync is complete: a large room's sync comes in
 * slices, one message each (docs/adr/0036), and the page would otherwise draw and place a
 * growing part of the discussion once per slice.
 */
function useSharedThreads(seminarDoc: Y.Doc | null, isSynced: boolean): SharedThreads {
  const reader = useMemo(() => (seminarDoc ? createSeminarThreadsReader(seminarDoc) : null), [seminarDoc]);
  const [shared, setShared] = useState<SharedThreads & { reader: SeminarThreadsReader | null }>({
    reader: null,
    ...NOTHING_SHARED,
  });
  /** Whether this reader's room has synced (once is enough: a reconnection's catch-up is read as it comes). */
  const hasSynced = useRef(false);
  /** Reads what is not read yet, in slices (set while the effect below is attached). */
  const readSoon = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (!reader || !seminarDoc) return;
    reader.attach();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const readSlice = () => {
      timer = null;
      if (!reader.catchUp(READ_SLICE_MS)) timer = setTimeout(readSlice, 0);
      else if (hasSynced.current) setShared({ reader, threads: reader.read(), isCaughtUp: true });
    };
    const schedule = () => {
      timer ??= setTimeout(readSlice, 0);
    };
    readSoon.current = schedule;
    // Marked behind at once, in the update's task: a render of the same task (the room saying
    // it has synced) must not take the threads read before for the room's.
    const stopFollowing = followDocChanges(seminarDoc, () => {
      setShared((previous) => (previous.isCaughtUp ? { ...previous, isCaughtUp: false } : previous));
      schedule();
    });
    schedule();
    return () => {
      stopFollowing();
      if (timer !== null) clearTimeout(timer);
      reader.detach();
      readSoon.current = null;
      hasSynced.current = false;
    };
  }, [reader, seminarDoc]);
  useEffect(() => {
    if (!isSynced || hasSynced.current) return;
    hasSynced.current = true;
    readSoon.current?.();
  }, [isSynced, reader]);
  // A room not read yet (just opened, or another room's threads still held) is behind.
  if (shared.reader === reader) return shared;
  return reader ? NOT_READ_YET : NOTHING_SHARED;
}

const NOTHING_SHARED: SharedThreads = { threads: [], isCaughtUp: true };
const NOT_READ_YET: SharedThreads = { threads: [], isCaughtUp: false };
