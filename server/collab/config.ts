/**
 * The collab server's configuration: typed data with exported defaults,
 * merged under the caller's options (as Hocuspocus' defaultConfiguration).
 */
import { compactionThresholds } from "@/lib/server/realtime/compaction-thresholds";

/** A token bucket's shape: `perSecond` tokens refill each second, up to `burst`. */
export type RateConfig = { perSecond: number; burst: number };

import { DEFAULT_VALUE_LIMITS } from "@/lib/shared/yjs/inspect-update";
import { COMPRESSION_THRESHOLD_BYTES } from "./compression";

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
  updateRate: RateConfig;
  /** Update bytes per second per connection, sustained / burst. */
  updateByteRate: RateConfig;
  /** Awareness messages per second per connection, sustained / burst. */
  awarenessRate: RateConfig;
  /** A socket whose unsent data exceeds this is closed (a slow reader must not hold the room's memory). */
  maxBufferedBytes: number;
  /**
   * Sync replies at least this large are sent compressed (permessage-deflate, when the client
   * offers it; ./compression.ts); 0 turns compression off.
   */
  compressAboveBytes: number;
  /**
   * A seminar or view room's sync reply larger than this is sent in slices of about this size,
   * which a reader applies one per task (docs/adr/0036); 0 sends it whole. Text and notes rooms
   * are sent whole: their readers render the text on every update.
   */
  syncSliceBytes: number;
  /**
   * Whether a room's cached first sync, once compressed for one newcomer's socket, is sent in
   * that form to the next ones (./compression.ts `reuseSharedForms`); false deflates it again
   * for each, as before (the bench's baseline).
   */
  reusesCompressedSyncs: boolean;
  /**
   * A socket whose received, not yet handled bytes exceed this is not read
   * until half of them are handled (commits lag): the backlog stays in the
   * sender's buffers. At least `maxPayloadBytes`, so one largest frame fits.
   */
  maxUnhandledBytes: number;
  /** An empty room unloads after this many ms. */
  idleUnloadMs: number;
  /** A loaded room compacts its log once this many rows were appended since it loaded or last compacted. */
  compactAfterRows: number;
  /** An unloading room compacts its log if it appended at least this many rows while loaded. */
  compactOnUnloadRows: number;
  /** Ping interval; a socket that misses a pong is closed. Also when expired sessions are closed. */
  heartbeatMs: number;
  /**
   * A connection that was sent nothing for this long is sent the keep-alive (an awareness
   * message that changes nothing, protocol.ts), checked once per this period: so a client
   * never waits more than twice this for a message. y-websocket reconnects after 30 s of
   * silence, so it must stay under 15 s.
   */
  keepAliveMs: number;
  /**
   * Redis for presence across processes (docs/adr/0020-several-processes.md); null keeps
   * presence in this process, as one process needs.
   */
  redisUrl: string | null;
  /** How often this process tells the others on Redis that it is alive. */
  presenceHeartbeatMs: number;
  /**
   * Presence entries of a process not heard from for this long are removed everywhere: the
   * bound on how long a killed process's readers stay visible (plus one heartbeat of checking).
   */
  presenceTtlMs: number;
  /** Messages from a connection still waiting for its room to load, at most. */
  maxQueuedMessages: number;
  /** Sync messages one connection's batch holds, at most (a batch commits as one merged update when it can). */
  maxBatchedUpdates: number;
  /**
   * Open sockets (and upgrades being decided) per user, across all their
   * sessions. A reading page holds three (text, seminar, notes), so 16 is five
   * tabs and change; one account's 2,000 sockets slowed every room (issue 9).
   */
  maxSocketsPerUser: number;
  /** Open sockets per client address (an IPv6 /64 counts as one): a classroom behind one NAT fits. */
  maxSocketsPerAddress: number;
  /** Upgrade attempts per client address, checked before anything else. */
  upgradeRatePerAddress: RateConfig;
  /** Upgrade attempts per session (from the cookie, decoded without the database). */
  upgradeRatePerSession: RateConfig;
  /**
   * Open sockets in the whole process. null: the soft open-file limit
   * (RLIMIT_NOFILE) less {@link CollabConfig.fileDescriptorReserve}.
   */
  maxSockets: number | null;
  /**
   * Descriptors kept free for the database pool, page requests, the due-date
   * sweep and files when `maxSockets` is derived: at 19,940 idle sockets of
   * 20,000 descriptors the sweep failed with `connect EMFILE` (issue 9). At
   * most a quarter of the limit is reserved.
   */
  fileDescriptorReserve: number;
  /** Retry-After (seconds) of a refusal for a full cap, which frees only when someone leaves. */
  capRetryAfterSeconds: number;
  /**
   * Addresses of reverse proxies whose `X-Forwarded-For` is believed. Empty:
   * the socket's own address is the client's, and the header is ignored (a
   * client could otherwise name any address and escape its per-address limits).
   */
  trustedProxies: string[];
};

/**
 * Admission limits high enough never to refuse: for benchmarks and fuzzers
 * whose thousands of sockets all come from one account on one address. The
 * admission limits themselves are measured by the bench's flood section and
 * tested in tests/collab/admission.test.ts.
 */
export const liftedAdmissionLimits = {
  maxSocketsPerUser: 100_000,
  maxSocketsPerAddress: 100_000,
  upgradeRatePerAddress: { perSecond: 100_000, burst: 100_000 },
  upgradeRatePerSession: { perSecond: 100_000, burst: 100_000 },
} satisfies Partial<CollabConfig>;

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
  compressAboveBytes: COMPRESSION_THRESHOLD_BYTES,
  syncSliceBytes: 512 * 1024,
  reusesCompressedSyncs: true,
  maxUnhandledBytes: 4 * 1024 * 1024,
  idleUnloadMs: 10_000,
  compactAfterRows: compactionThresholds.whileLoaded,
  compactOnUnloadRows: compactionThresholds.onUnload,
  heartbeatMs: 30_000,
  keepAliveMs: 10_000,
  redisUrl: null,
  presenceHeartbeatMs: 1000,
  presenceTtlMs: 4000,
  maxQueuedMessages: 256,
  maxBatchedUpdates: 256,
  maxSocketsPerUser: 16,
  maxSocketsPerAddress: 512,
  upgradeRatePerAddress: { perSecond: 20, burst: 240 },
  upgradeRatePerSession: { perSecond: 2, burst: 32 },
  maxSockets: null,
  fileDescriptorReserve: 1024,
  capRetryAfterSeconds: 10,
  trustedProxies: [],
};

/** The defaults with `options` on top. */
export function resolveConfiguration(options: Partial<CollabConfig> = {}): CollabConfig {
  return { ...defaultConfiguration, ...options };
}

/** What the environment says about admission limits (lib/server/env.ts parses it), as config options. */
export function configurationFromEnv(env: {
  MARGINALIA_COLLAB_SOCKETS_PER_USER?: number;
  MARGINALIA_COLLAB_SOCKETS_PER_ADDRESS?: number;
  MARGINALIA_COLLAB_MAX_SOCKETS?: number;
  MARGINALIA_COLLAB_COMPRESS_ABOVE_BYTES?: number;
  MARGINALIA_TRUSTED_PROXIES: string[];
  REDIS_URL?: string;
}): Partial<CollabConfig> {
  const options: Partial<CollabConfig> = {
    trustedProxies: env.MARGINALIA_TRUSTED_PROXIES,
    redisUrl: env.REDIS_URL ?? null,
  };
  if (env.MARGINALIA_COLLAB_SOCKETS_PER_USER !== undefined)
    options.maxSocketsPerUser = env.MARGINALIA_COLLAB_SOCKETS_PER_USER;
  if (env.MARGINALIA_COLLAB_SOCKETS_PER_ADDRESS !== undefined)
    options.maxSocketsPerAddress = env.MARGINALIA_COLLAB_SOCKETS_PER_ADDRESS;
  if (env.MARGINALIA_COLLAB_MAX_SOCKETS !== undefined) options.maxSockets = env.MARGINALIA_COLLAB_MAX_SOCKETS;
  if (env.MARGINALIA_COLLAB_COMPRESS_ABOVE_BYTES !== undefined)
    options.compressAboveBytes = env.MARGINALIA_COLLAB_COMPRESS_ABOVE_BYTES;
  return options;
}
