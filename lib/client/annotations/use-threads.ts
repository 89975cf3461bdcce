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

/** Every thread the margin knows: shared, private, and pending ones; plus the categories. */
export function useThreads(options: {
  seminarDoc: Y.Doc | null;
  notesDoc: Y.Doc | null;
  me: { id: string; name: string };
  pending: PendingWrites;
}): { threads: Thread[]; categories: ProjectedCategory[] } {
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

  const threads = useMemo(() => {
    const known = new Map<string, Thread>();
    for (const thread of [...shared, ...notes]) known.set(thread.id, thread);
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
  }, [shared, notes, pending]);

  return { threads, categories };
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
