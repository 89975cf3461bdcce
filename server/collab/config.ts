/**
 * The collab server's configuration: typed data with exported defaults,
 * merged under the caller's options (as Hocuspocus' defaultConfiguration).
 */

import { DEFAULT_VALUE_LIMITS } from "@/lib/shared/yjs/inspect-update";

/** Limits and timings of the collab server. */
export type CollabConfig = {
  /** Largest websocket frame accepted; `ws` closes bigger ones with 1009. */
  maxPayloadBytes: number;
  /** Largest Yjs update accepted in one message. */
  maxUpdateBytes: number;
  /**
   * Deepest nesting of shared types an update may create. A document nested
   * ~15,000 levels deep still decodes on a server but overflows every
   * browser's stack when it loads, so one writer could make a room unloadable.
   * ProseMirror documents in our schema nest fewer than 10 levels.
   */
  maxTypeDepth: number;
  /**
   * Deepest nesting of arrays and objects inside one embedded value (ContentAny,
   * ContentJSON, ContentEmbed, ContentFormat, ContentDoc options). Yjs decodes
   * those recursively: one value nested 5,000 levels made a room unloadable for
   * every client (issue 9 §1). Default in lib/shared/yjs/inspect-update.ts.
   */
  maxValueDepth: number;
  /** Largest encoded size of one embedded value, in bytes. */
  maxValueBytes: number;
  /** Largest awareness state (JSON) per client. */
  maxAwarenessStateBytes: number;
  /** Awareness fan-out per room: at most one frame per this many ms. */
  awarenessFlushMs: number;
  /** Update messages per second per connection, sustained / burst. */
  updateRate: { perSecond: number; burst: number };
  /** Update bytes per second per connection, sustained / burst. */
  updateByteRate: { perSecond: number; burst: number };
  /** Awareness messages per second per connection, sustained / burst. */
  awarenessRate: { perSecond: number; burst: number };
  /** A socket whose unsent data exceeds this is closed (a slow reader must not hold the room's memory). */
  maxBufferedBytes: number;
  /** An empty room unloads after this many ms. */
  idleUnloadMs: number;
  /** A loaded room compacts its log once this many rows were appended since it loaded or last compacted. */
  compactAfterRows: number;
  /** Ping interval; a socket that misses a pong is closed. Also when expired sessions are closed. */
  heartbeatMs: number;
  /** Messages from a connection still waiting for its room to load, at most. */
  maxQueuedMessages: number;
};

/** The defaults. */
export const defaultConfiguration: CollabConfig = {
  maxPayloadBytes: 4 * 1024 * 1024,
  maxUpdateBytes: 2 * 1024 * 1024,
  maxTypeDepth: 64,
  ...DEFAULT_VALUE_LIMITS,
  maxAwarenessStateBytes: 8 * 1024,
  awarenessFlushMs: 100,
  updateRate: { perSecond: 100, burst: 400 },
  updateByteRate: { perSecond: 1024 * 1024, burst: 4 * 1024 * 1024 },
  awarenessRate: { perSecond: 30, burst: 90 },
  maxBufferedBytes: 8 * 1024 * 1024,
  idleUnloadMs: 10_000,
  compactAfterRows: 500,
  heartbeatMs: 30_000,
  maxQueuedMessages: 256,
};

/** The defaults with `options` on top. */
export function resolveConfiguration(options: Partial<CollabConfig> = {}): CollabConfig {
  return { ...defaultConfiguration, ...options };
}
