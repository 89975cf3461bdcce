"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo } from "react";
import type * as Y from "yjs";
import { parseOr } from "@/lib/shared/annotations/types";
import { gateMessage, ZPostFirstGate, type PostFirstGate } from "@/lib/shared/post-first/post-first";
import { ROOT_TYPES } from "@/lib/shared/rooms";
import { useDocVersion } from "@/lib/client/annotations/use-threads";

/** The gate the server wrote into a view room (null in a seminar room, or before sync). */
export function readGate(doc: Y.Doc): PostFirstGate | null {
  const map = doc.getMap<unknown>(ROOT_TYPES.gate);
  if (map.size === 0) return null;
  return parseOr(ZPostFirstGate, Object.fromEntries(map.entries()));
}

/**
 * The margin's note for a student who must post first (docs/adr/0019). When their view
 * room says the gate is open, the page reloads its data: the server then hands it the
 * seminar room, with everyone's threads.
 */
export function PostFirstGateNotice({ doc }: { doc: Y.Doc }) {
  const router = useRouter();
  const version = useDocVersion(doc);
  const gate = useMemo(() => {
    void version;
    return readGate(doc);
  }, [doc, version]);
  const isOpen = gate !== null && !gate.isLocked;
  useEffect(() => {
    if (isOpen) router.refresh();
  }, [isOpen, router]);
  if (!gate) return null;
  return (
    <p className="post-first-gate" role="status">
      {gate.isLocked ? gateMessage(gate) : "Loading your classmates’ annotations…"}
    </p>
  );
}
