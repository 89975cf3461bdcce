"use client";

/**
 * Full thread bodies, loaded on demand (docs/adr/0027). The seminar room carries each
 * thread's first comment and a summary (count, tags, version); a card that opens asks
 * for the rest here. An opened thread stays live: when the room's version of it moves
 * (a reply, an edit, a reaction, moderation), its body loads again.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { readThreadBody, type Thread, type ThreadComment } from "@/lib/shared/annotations/threads";
import { ApiError } from "../api";
import { getThreadBody } from "./api";

/** One thread's loaded body. */
export type LoadedThreadBody = {
  /** The version the server answered with. */
  version: string;
  /** Every comment the reader may see, oldest first. */
  comments: ThreadComment[];
};

/** The loaded bodies and how to ask for one. */
export type ThreadBodies = {
  /** Loaded bodies by thread id. */
  bodies: ReadonlyMap<string, LoadedThreadBody>;
  /**
   * Loads a thread's body and keeps it current from then on; rejects with a message to show.
   * Asks again only when the room's version moved since, unless `fresh` (after one's own write).
   */
  load: (id: string, options?: LoadOptions) => Promise<void>;
};

/** How a body is asked for. */
export type LoadOptions = {
  /** Ask again even at the version last asked for (after one's own write). */
  fresh?: boolean;
  /**
   * The room's version of the thread as the caller sees it. A card's effect runs before this
   * hook's own, so on the render that brings a new version the hook still holds the old one:
   * asked at that, the card was told "loaded" and only this hook's follow-up asked for the new
   * version, whose failure no card heard of (the card said "Loading…" for good).
   */
  version?: string | null;
};

/** Thread bodies requested at once; the rest wait their turn. */
const MAX_REQUESTS = 4;

/** Runs at most `size` of the given tasks at a time, in the order they were given. */
function createLimiter(size: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** Loads bodies as cards ask and reloads opened ones whose version in `shared` (the room's threads) moved. */
export function useThreadBodies(shared: readonly Thread[]): ThreadBodies {
  const [bodies, setBodies] = useState<ReadonlyMap<string, LoadedThreadBody>>(() => new Map());
  /** Opened threads, with the room's version each was last asked for at. */
  const opened = useRef(new Map<string, string | null>());
  /** One request per thread at a time; a later one waits for it. */
  const inFlight = useRef(new Map<string, Promise<void>>());
  /** At most {@link MAX_REQUESTS} at once: a long margin on a phone mounts many cards together. */
  const limit = useRef(createLimiter(MAX_REQUESTS));
  const isMounted = useRef(true);
  useEffect(() => {
    isMounted.current = true;
    return () => {
      isMounted.current = false;
    };
  }, []);

  const fetchBody = useCallback((id: string, roomVersion: string | null): Promise<void> => {
    // Marked before the request, so the effect below does not ask again for the same version.
    opened.current.set(id, roomVersion);
    const previous = inFlight.current.get(id) ?? Promise.resolve();
    const request = previous
      .catch(() => undefined)
      .then(async () => {
        const body = readThreadBody(await limit.current(() => getThreadBody(id)));
        if (!body) throw new Error("The server sent a thread this page cannot read.");
        if (!isMounted.current) return;
        setBodies((current) => new Map(current).set(id, body));
      })
      .catch((failure: unknown) => {
        // Asked again when the card next opens. A thread deleted meanwhile is just no longer opened.
        opened.current.delete(id);
        if (failure instanceof ApiError && failure.status === 404) return;
        throw new Error(failure instanceof Error ? failure.message : "The replies could not be loaded.");
      })
      .finally(() => {
        if (inFlight.current.get(id) === request) inFlight.current.delete(id);
      });
    inFlight.current.set(id, request);
    return request;
  }, []);

  const versions = useRef(new Map<string, string | null>());
  useEffect(() => {
    versions.current = new Map(shared.map((thread) => [thread.id, thread.summary?.version ?? null]));
  }, [shared]);

  const load = useCallback(
    (id: string, options: LoadOptions = {}) => {
      const version = options.version !== undefined ? options.version : (versions.current.get(id) ?? null);
      const pending = inFlight.current.get(id);
      if (!options.fresh && opened.current.has(id) && opened.current.get(id) === version)
        return pending ?? Promise.resolve();
      return fetchBody(id, version);
    },
    [fetchBody],
  );

  // Keep opened threads current: their room version moved since they were asked for.
  useEffect(() => {
    const byId = new Map(shared.map((thread) => [thread.id, thread]));
    for (const [id, askedAt] of opened.current) {
      const thread = byId.get(id);
      if (!thread) continue;
      const version = thread.summary?.version ?? null;
      if (version !== null && version !== askedAt)
        fetchBody(id, version).catch(() => {
          // The card shows the room's part meanwhile; the next change asks again.
        });
    }
  }, [shared, fetchBody]);

  return { bodies, load };
}

/**
 * The thread with its loaded body: the body's comments, and any the room carries that
 * the body lacks or holds older (the room may be a moment ahead of the last load).
 */
export function withBody(thread: Thread, body: LoadedThreadBody | undefined): Thread {
  if (!body || !thread.summary) return thread;
  if (body.version === thread.summary.version && body.comments.length >= thread.comments.length)
    return { ...thread, comments: body.comments };
  const fromRoom = new Map(thread.comments.map((comment) => [comment.id, comment]));
  const comments = body.comments.map((comment) => fromRoom.get(comment.id) ?? comment);
  const known = new Set(comments.map((comment) => comment.id));
  for (const comment of thread.comments) if (!known.has(comment.id)) comments.push(comment);
  comments.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { ...thread, comments };
}
