/**
 * One loaded room: its Y.Doc, its Awareness, its connections. Created and
 * destroyed by the CollabServer only; every timer it starts it also clears.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Room as ParsedRoom } from "@/lib/shared/rooms";
import { applyStoredRoom, type StoredFinding, type StoredRoom } from "@/lib/server/realtime/update-log";
import { sliceUpdate } from "@/lib/shared/yjs/slice-update";
import { shareCompressed } from "./compression";
import { encodeAwareness, encodeSyncReply, encodeSyncStep2, encodeUpdate } from "./protocol";

/**
 * The origin of awareness changes that arrived from another process (presence-bus.ts): they
 * are sent on to this room's members at once, never published back.
 */
export const REMOTE_PRESENCE = Symbol("remote presence");

/** What a room needs to send to a connection. */
export interface RoomMember {
  /** Sends a binary message (the member checks for slow readers). */
  send(message: Uint8Array): void;
}

/** The whole room as newcomers get it, and what it held then. */
type WholeRoomReply = {
  /** The sync reply: its slices as updates, the last as a step 2. */
  reply: readonly Uint8Array[];
  /** The same slices, every one as an update (for a newcomer who gets what came since as its step 2). */
  updates: readonly Uint8Array[];
  /** The room's state vector when it was cut. */
  stateVector: Uint8Array;
  /** The room's `appliedUpdates` when it was cut. */
  appliedUpdates: number;
};

/** A loaded room. */
export class CollabRoom {
  /** The shared document. */
  readonly doc: Y.Doc;
  /** Presence. */
  readonly awareness: awarenessProtocol.Awareness;
  /** Who is connected. */
  readonly members = new Set<RoomMember>();
  /** Resolves once the stored state is applied; nothing is sent before. */
  ready: Promise<void> = Promise.resolve();
  /**
   * Set by the loader once it has read the log: from then on, update notices
   * from other processes are applied directly instead of handed to the loader.
   */
  isLoaded = false;
  /** Updates accepted and not yet committed and applied. */
  pendingWrites = 0;
  /** How many updates the room's document has taken: a commit checked at another count meets a changed room. */
  appliedUpdates = 0;
  /** Rows appended to the log since the room loaded or last compacted. */
  rowsSinceCompaction = 0;
  /** Set once the room is torn down. */
  isDestroyed = false;
  /**
   * Set by the presence bus when presence crosses processes: at each flush, the client ids
   * whose awareness changed here (not those that came from another process).
   */
  onLocalPresence: ((clientIds: number[]) => void) | null = null;
  /** Set by whoever must let go of the room when it is torn down (the presence bus). */
  onDestroy: (() => void) | null = null;

  private readonly changedClients = new Set<number>();
  /**
   * The sync reply a newcomer with nothing gets (the whole room: every reader who opens the
   * page), encoded once and shared: a 10,000-thread seminar room weighs megabytes, and a class
   * arriving together would otherwise encode it once each. While a sliced room is written, a
   * newcomer gets the slices cut before and, as its step 2, what the room has beyond them, until
   * that passes a slice's size: encoding and cutting the room again after every write would
   * cost its event loop ~120 ms per newcomer at 10,000 threads (docs/adr/0036). Not after a
   * deletion: the slices would still hold what was deleted (a hidden comment's words, an
   * entry's earlier text), which a newcomer must never receive; the room is cut again.
   */
  private wholeRoom: WholeRoomReply | null = null;

  private awarenessTimer: NodeJS.Timeout | null = null;
  private unloadTimer: NodeJS.Timeout | null = null;

  constructor(
    /** The room's name. */
    readonly name: string,
    /** The parsed name. */
    readonly room: ParsedRoom,
    private readonly options: {
      awarenessFlushMs: number;
      relaysAwareness: boolean;
      /** A sync reply larger than this goes in slices (protocol.ts encodeSyncReply); 0: whole. */
      syncSliceBytes: number;
    },
  ) {
    this.doc = new Y.Doc({ gc: true });
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.doc.on("update", this.onDocUpdate);
    this.doc.on("afterTransaction", this.onTransaction);
    this.awareness.on("update", this.onAwarenessUpdate);
  }

  /** Applies the stored state (the loader calls this before `ready` resolves); returns what had to be set aside. */
  applyStored(stored: StoredRoom): StoredFinding[] {
    const findings = applyStoredRoom(this.doc, stored, "load");
    this.rowsSinceCompaction = stored.rows.length;
    return findings;
  }

  /**
   * The sync reply for a client whose state vector is `stateVector`, what the room has beyond
   * it: `[Sync, Step2, …]`, or, in a seminar or view room, slices ending in one (protocol.ts).
   */
  syncReplyFor(stateVector: Uint8Array): readonly Uint8Array[] {
    if (Y.decodeStateVector(stateVector).size > 0)
      return encodeSyncReply(this.slices(Y.encodeStateAsUpdate(this.doc, stateVector)));
    const cached = this.wholeRoom;
    if (cached?.appliedUpdates === this.appliedUpdates) return cached.reply;
    const { syncSliceBytes } = this.options;
    if (cached && syncSliceBytes > 0) {
      const since = Y.encodeStateAsUpdate(this.doc, cached.stateVector);
      if (since.byteLength <= syncSliceBytes) {
        // Kept for the next newcomers until the next write (then made again from the cut).
        const reply = [...cached.updates, shareCompressed(encodeSyncStep2(since))];
        this.wholeRoom = { ...cached, reply, appliedUpdates: this.appliedUpdates };
        return reply;
      }
    }
    const slices = this.slices(Y.encodeStateAsUpdate(this.doc));
    // Sent alike to every newcomer until the room changes: compressed once (compression.ts).
    const reply = encodeSyncReply(slices).map(shareCompressed);
    this.wholeRoom = {
      reply,
      // Only a sliced room's reply is ever extended.
      updates:
        syncSliceBytes > 0
          ? [...reply.slice(0, -1), shareCompressed(encodeUpdate(slices.at(-1) as Uint8Array))]
          : [],
      stateVector: Y.encodeStateVector(this.doc),
      appliedUpdates: this.appliedUpdates,
    };
    return reply;
  }

  /** `update` cut into slices when the room sends large replies so; else whole. */
  private slices(update: Uint8Array): Uint8Array[] {
    const { syncSliceBytes } = this.options;
    return syncSliceBytes > 0 ? sliceUpdate(update, syncSliceBytes) : [update];
  }

  /** A transaction that deleted anything leaves no reply cut before it (see `wholeRoom`). */
  private readonly onTransaction = (transaction: Y.Transaction) => {
    if (transaction.deleteSet.clients.size > 0) this.wholeRoom = null;
  };

  /** Every committed update is broadcast to every member but the one it came from. */
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    this.appliedUpdates++;
    if (origin === "load") return;
    const message = encodeUpdate(update);
    for (const member of this.members) if (member !== origin) member.send(message);
  };

  /** Awareness changes are coalesced: at most one frame per `awarenessFlushMs` per room. */
  private readonly onAwarenessUpdate = (
    {
      added,
      updated,
      removed,
    }: {
      added: number[];
      updated: number[];
      removed: number[];
    },
    origin: unknown,
  ) => {
    if (!this.options.relaysAwareness) return;
    const changed = [...added, ...updated, ...removed];
    if (origin === REMOTE_PRESENCE) {
      // Already coalesced by the process it came from (one message per room per flush there),
      // so it goes on at once: cross-process latency is one flush, not two.
      const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      for (const member of this.members) member.send(message);
      return;
    }
    for (const id of changed) this.changedClients.add(id);
    this.awarenessTimer ??= setTimeout(() => this.flushAwareness(), this.options.awarenessFlushMs);
  };

  private flushAwareness() {
    this.awarenessTimer = null;
    if (this.changedClients.size === 0 || this.isDestroyed) return;
    const changed = [...this.changedClients];
    const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    this.changedClients.clear();
    for (const member of this.members) member.send(message);
    this.onLocalPresence?.(changed);
  }

  /** The message that tells a newcomer everyone's presence, or null when there is none. */
  awarenessSnapshot(): Uint8Array | null {
    if (!this.options.relaysAwareness) return null;
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length === 0) return null;
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
  }

  /** Starts the idle countdown (the server calls this when the last member leaves). */
  scheduleUnload(ms: number, unload: () => void) {
    this.cancelUnload();
    this.unloadTimer = setTimeout(() => {
      this.unloadTimer = null;
      unload();
    }, ms);
  }

  /** Stops the idle countdown. */
  cancelUnload() {
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.unloadTimer = null;
  }

  /** Timers this room holds right now (tests assert an unloaded room holds none). */
  get activeTimers(): number {
    return (this.awarenessTimer ? 1 : 0) + (this.unloadTimer ? 1 : 0);
  }

  /** Tears the room down: timers, Awareness (its check interval) and Y.Doc. */
  destroy() {
    if (this.isDestroyed) return;
    this.isDestroyed = true;
    this.onDestroy?.();
    this.onDestroy = null;
    this.onLocalPresence = null;
    this.cancelUnload();
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.awarenessTimer = null;
    this.doc.off("update", this.onDocUpdate);
    this.doc.off("afterTransaction", this.onTransaction);
    this.awareness.off("update", this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.members.clear();
    this.wholeRoom = null;
  }
}
