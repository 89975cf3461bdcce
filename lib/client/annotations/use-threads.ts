"use client";

import { useEffect, useMemo, useState } from "react";
import type * as Y from "yjs";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";
import {
  createSeminarThreadsReader,
  readCategories,
  readPrivateNotes,
  type SeminarThreadsReader,
  type Thread,
} from "@/lib/shared/annotations/threads";
import type { PendingWrites } from "./pending-writes";
import { useThreadBodies, withBody } from "./use-thread-bodies";

/** A number that changes whenever `doc` changes. */
export function useDocVersion(doc: Y.Doc | null | undefined): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!doc) return;
    const bump = () => setVersion((value) => value + 1);
    doc.on("update", bump);
    bump();
    return () => doc.off("update", bump);
  }, [doc]);
  return version;
}

/**
 * Every thread the margin knows: shared, private, and pending ones, shared threads with
 * their full bodies once loaded (docs/adr/0027); plus the categories, and how to load a body.
 */
export function useThreads(options: {
  seminarDoc: Y.Doc | null;
  notesDoc: Y.Doc | null;
  me: { id: string; name: string };
  pending: PendingWrites;
}): {
  threads: Thread[];
  categories: ProjectedCategory[];
  loadThread: (id: string, options?: { fresh?: boolean }) => Promise<void>;
} {
  const { seminarDoc, notesDoc, me, pending } = options;
  const seminarVersion = useDocVersion(seminarDoc);
  const notesVersion = useDocVersion(notesDoc);
  const reader = useSeminarThreadsReader(seminarDoc);

  // The versions are what change when the docs do; reading them ties the memo to them.
  const shared = useMemo(() => {
    void seminarVersion;
    return reader ? reader.read() : [];
  }, [reader, seminarVersion]);
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

  return { threads, categories, loadThread };
}

/**
 * One incremental reader per seminar room. It observes the room from its
 * creation (no update slips past before the effect runs); the effect detaches
 * it on unmount and re-attaches it if React mounts the component again.
 */
function useSeminarThreadsReader(seminarDoc: Y.Doc | null): SeminarThreadsReader | null {
  const reader = useMemo(() => (seminarDoc ? createSeminarThreadsReader(seminarDoc) : null), [seminarDoc]);
  useEffect(() => {
    if (!reader) return;
    reader.attach();
    return () => reader.detach();
  }, [reader]);
  return reader;
}
