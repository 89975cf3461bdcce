/**
 * One websocket in one room: decodes frames, enforces the connection's
 * capabilities and limits, and hands accepted updates to the room's commit
 * path. Messages of a connection are handled strictly in order; nothing is
 * handled (or sent) before the room has loaded.
 */
import * as decoding from "lib0/decoding";
import type { WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { RoomCapabilities } from "@/lib/server/policies";
import {
  colorForUser,
  decodeAwarenessUpdate,
  encodeAwarenessUpdate,
  filterAwareness,
} from "./awareness-filter";
import type { SessionUser } from "./authenticate-upgrade";
import { CloseCode, type CloseCodeValue } from "@/lib/shared/close-codes";
import type { CollabConfig } from "./config";
import { reuseSharedForms } from "./compression";
import { encodeSyncStep1, KEEP_ALIVE, MessageType, SyncType } from "./protocol";
import { TokenBucket } from "./rate-limit";
import type { CollabRoom, RoomMember } from "./room";
import { guardUpdate } from "./update-guard";

/** What a connection needs from the server. */
export interface ConnectionHost {
  readonly config: CollabConfig;
  /** Commits an accepted update and applies it to the room (resolves when broadcast). */
  /**
   * Commits `update`, checked against the room at `checkedAt` (its
   * {@link CollabRoom.appliedUpdates} then), applies it and broadcasts it.
   */
  commit(room: CollabRoom, update: Uint8Array, from: Connection, checkedAt: number): Promise<void>;
  /** Counts traffic. */
  countReceived(bytes: number): void;
  countSent(bytes: number): void;
  countDroppedWrite(): void;
  /** Counts a message of a cached sync reply compressed for this socket: made now, or reused. */
  countSharedSyncFrame(isReused: boolean): void;
  /** True when another connection in the room owns this awareness client id. */
  isAwarenessClientOwnedByOther(room: CollabRoom, clientId: number, connection: Connection): boolean;
  /** Logs an event (never a message body). */
  log(event: string, fields: Record<string, unknown>): void;
  /** Called once when the connection has closed. */
  onClosed(connection: Connection): void;
}

/** True for the encoding of an update that changes nothing: zero clients' structs, an empty delete set. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}

/** Updates of one connection committed together; `received` counts their frames' bytes. */
type Batch = { payloads: Uint8Array[]; bytes: number; received: number; hasPlainUpdate: boolean };

/** Thrown inside message handling to close with a code. */
class CloseRequest extends Error {
  constructor(
    readonly code: CloseCodeValue,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** A sync reply at least this large is left out of the slow-reader check while it goes out. */
const LARGE_SYNC_BYTES = 64 * 1024;

/** A client connection. */
export class Connection implements RoomMember {
  /** Awareness client ids this connection owns. */
  readonly clientIds = new Set<number>();
  /** Still answering pings. */
  isAlive = true;
  /** When a message last went out to the client (ms since the epoch), keep-alives included. */
  lastSentAt = Date.now();
  /** Closed (or closing); nothing more is handled or sent. */
  isClosed = false;

  private hasReportedClose = false;
  private queue: Promise<void> = Promise.resolve();
  /**
   * Updates received while earlier messages were still being handled (a
   * commit in flight). They are merged and committed together: one
   * connection's stream must not wait a commit round-trip per keystroke.
   */
  private batch: Batch | null = null;
  private queued = 0;
  /** Bytes received and not yet handled (committed, refused or answered). */
  private unhandledBytes = 0;
  /**
   * The size of one large sync reply still on its way out (being compressed, or not yet
   * handed to the socket), which the slow-reader check leaves out; 0 when none.
   */
  private syncInFlight = 0;
  private readonly updateRate: TokenBucket;
  private readonly updateBytes: TokenBucket;
  private readonly awarenessRate: TokenBucket;

  constructor(
    private readonly ws: WebSocket,
    private readonly host: ConnectionHost,
    /** The room. */
    readonly room: CollabRoom,
    /** Who is connected. */
    readonly user: SessionUser,
    /** What the connection may do. */
    readonly capabilities: RoomCapabilities,
    /** The user's role in the room's seminar, for presence. */
    readonly role: string | null,
  ) {
    const { config } = host;
    this.updateRate = new TokenBucket(config.updateRate.perSecond, config.updateRate.burst);
    this.updateBytes = new TokenBucket(config.updateByteRate.perSecond, config.updateByteRate.burst);
    this.awarenessRate = new TokenBucket(config.awarenessRate.perSecond, config.awarenessRate.burst);

    ws.binaryType = "nodebuffer";
    // A large room's first sync is compressed once and sent so to every newcomer (compression.ts).
    if (config.reusesCompressedSyncs) reuseSharedForms(ws, (isReused) => host.countSharedSyncFrame(isReused));
    ws.on("message", (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on("pong", () => (this.isAlive = true));
    ws.on("close", () => this.closed());
    ws.on("error", () => this.closed());

    // Greet only once the stored state is applied (load-before-sync).
    this.enqueue(async () => {
      await room.ready;
      this.send(encodeSyncStep1(room.doc));
      const presence = room.awarenessSnapshot();
      if (presence) this.send(presence);
    });
  }

  /**
   * Sends a message unless the socket is closed; closes a reader that cannot keep up: one
   * whose unsent data, besides its sync on its way out, passes `maxBufferedBytes`. Sent as it
   * is: a broadcast compressed once per member would cost the server its size times the room's.
   */
  send(message: Uint8Array) {
    if (!this.isWritable()) return;
    this.host.countSent(message.byteLength);
    this.lastSentAt = Date.now();
    this.ws.send(message, { compress: false });
  }

  /**
   * Sends a sync reply (what the reader lacks of the room: one message, or a large room's
   * slices, protocol.ts), the one kind of message sent compressed when it is large
   * (./compression.ts). A large sync is left out of the slow-reader check until `ws` has
   * handed its last frame to the socket (`ws` sends in order): a large room's first sync can
   * be larger than the limit by itself (8.9 MB at 10,000 threads), and `ws` counts it at full
   * size while it is compressed, so a presence frame sent then would close a reader that is
   * keeping up. One at a time, so a client asking for the whole room again and again is still
   * cut off.
   */
  private sendSyncReply(messages: readonly Uint8Array[]) {
    if (!this.isWritable()) return;
    const bytes = messages.reduce((sum, message) => sum + message.byteLength, 0);
    const isTracked = this.syncInFlight === 0 && bytes >= LARGE_SYNC_BYTES;
    if (isTracked) this.syncInFlight = bytes;
    this.host.countSent(bytes);
    this.lastSentAt = Date.now();
    messages.forEach((message, index) => {
      const isLast = index === messages.length - 1;
      // Called once the frame is handed to the socket (or the socket closed).
      this.ws.send(
        message,
        { compress: true },
        isTracked && isLast ? () => (this.syncInFlight = 0) : undefined,
      );
    });
  }

  /** Whether the socket is open, and the reader keeping up (else it is closed). */
  private isWritable(): boolean {
    if (this.isClosed || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount - this.syncInFlight > this.host.config.maxBufferedBytes) {
      this.close(CloseCode.TOO_SLOW, "Your connection could not keep up; reconnecting.");
      return false;
    }
    return true;
  }

  /** Closes with a named code; idempotent. */
  close(code: CloseCodeValue, reason: string) {
    if (this.isClosed) return;
    this.host.log("close", { room: this.room.name, user: this.user.id, code });
    this.ws.close(code, reason);
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.ws.terminate(), 5000).unref();
    this.closed();
  }

  /** Cuts the socket off at once (a missed ping). */
  terminate() {
    this.ws.terminate();
    this.closed();
  }

  /** Sends the keep-alive (protocol.ts) if nothing went out to the client for `quietMs`. */
  keepAlive(now: number, quietMs: number) {
    if (now - this.lastSentAt >= quietMs) this.send(KEEP_ALIVE);
  }

  /** Sends a ping; the pong sets isAlive again. */
  ping() {
    this.isAlive = false;
    this.ws.ping();
  }

  private closed() {
    this.isClosed = true;
    if (this.hasReportedClose) return;
    this.hasReportedClose = true;
    this.host.onClosed(this);
  }

  private receive(data: Buffer, isBinary: boolean) {
    if (this.isClosed) return;
    this.host.countReceived(data.byteLength);
    if (!isBinary) {
      this.close(CloseCode.UNSUPPORTED_DATA, "Only binary messages are understood.");
      return;
    }
    if (this.queued >= this.host.config.maxQueuedMessages) {
      this.close(CloseCode.RATE_LIMITED, "Too many messages at once.");
      return;
    }
    // Back-pressure: while this socket's unhandled bytes are over the limit (commits lag, e.g. a
    // loaded database), stop reading it, so its backlog waits in the sender's buffers, not in our
    // memory (tests/collab/slow-reader.test.ts on a loaded machine: writers' updates queued behind
    // half-second commits held over 150 MB of buffers).
    this.unhandledBytes += data.byteLength;
    if (this.unhandledBytes > this.host.config.maxUnhandledBytes && !this.ws.isPaused) this.ws.pause();
    const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // Sync step 2 and update messages (`[0, 1 | 2, update]`) join the pending batch.
    if (
      message.byteLength > 2 &&
      message[0] === MessageType.Sync &&
      (message[1] === SyncType.Step2 || message[1] === SyncType.Update)
    ) {
      let payload: Uint8Array;
      try {
        payload = decoding.readVarUint8Array(decoding.createDecoder(message.subarray(2)));
      } catch {
        this.host.log("protocol-error", { room: this.room.name, user: this.user.id });
        this.close(CloseCode.PROTOCOL_ERROR, "A message could not be read.");
        return;
      }
      const { config } = this.host;
      if (
        !this.batch ||
        this.batch.bytes + payload.byteLength > config.maxUpdateBytes ||
        this.batch.payloads.length >= config.maxBatchedUpdates
      ) {
        const batch: Batch = { payloads: [], bytes: 0, received: 0, hasPlainUpdate: false };
        this.batch = batch;
        this.enqueue(
          () => this.commitBatch(batch),
          () => batch.received,
        );
      }
      this.batch.payloads.push(payload);
      this.batch.bytes += payload.byteLength;
      this.batch.received += data.byteLength;
      if (message[1] === SyncType.Update) this.batch.hasPlainUpdate = true;
      return;
    }
    this.enqueue(
      () => Promise.resolve().then(() => this.handle(message)),
      () => data.byteLength,
    );
  }

  /** Queues `task`; once it is done, `handledBytes()` bytes count as handled. */
  private enqueue(task: () => Promise<void>, handledBytes: () => number = () => 0) {
    this.queued++;
    this.queue = this.queue
      .then(async () => {
        if (!this.isClosed) await task();
      })
      .catch((error: unknown) => {
        if (error instanceof CloseRequest) this.close(error.code, error.reason);
        else {
          // A frame we could not decode closes only this socket.
          this.host.log("protocol-error", { room: this.room.name, user: this.user.id });
          this.close(CloseCode.PROTOCOL_ERROR, "A message could not be read.");
        }
      })
      .finally(() => {
        this.queued--;
        this.unhandledBytes -= handledBytes();
        if (
          this.ws.isPaused &&
          !this.isClosed &&
          this.unhandledBytes <= this.host.config.maxUnhandledBytes / 2
        )
          this.ws.resume();
      });
  }

  private handle(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
        return this.handleSync(decoder);
      case MessageType.Awareness:
        return this.handleAwareness(decoding.readVarUint8Array(decoder));
      case MessageType.QueryAwareness: {
        const presence = this.room.awarenessSnapshot();
        if (presence) this.send(presence);
        return;
      }
      case MessageType.Auth:
        return;
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  private handleSync(decoder: decoding.Decoder) {
    const syncType = decoding.readVarUint(decoder);
    if (syncType === SyncType.Step1) {
      // Decoding the state vector throws on garbage.
      this.sendSyncReply(this.room.syncReplyFor(decoding.readVarUint8Array(decoder)));
      return;
    }
    // Step 2 and updates are batched in receive(); anything else is not a sync message we know.
    throw new Error(`unknown sync type ${syncType}`);
  }

  /**
   * Checks and commits a batch of this connection's updates: as one merged
   * update when the merge passes the checks (the common case: a fast typist,
   * or a commit that took long), else one by one, so a refusal concerns only
   * the update that earned it.
   */
  private async commitBatch(batch: Batch) {
    if (this.batch === batch) this.batch = null;
    if (!this.capabilities.canWrite) {
      // Read-only connections may not change the room (docs/architecture.md §2); drop, keep the socket.
      for (let i = 0; i < batch.payloads.length; i++) this.host.countDroppedWrite();
      return;
    }
    // Rate limits count messages, not batches: what fits is handled, then the socket closes.
    const accepted: Uint8Array[] = [];
    let isOverRate = false;
    for (const payload of batch.payloads) {
      if (!this.updateRate.take() || !this.updateBytes.take(payload.byteLength)) {
        isOverRate = true;
        break;
      }
      // Every writer answers our sync step 1 with a step 2, usually empty (`[0, 0]`: no structs, no
      // deletions). Committing it cost a transaction, a log row, a NOTIFY to every process and a
      // broadcast to every member, per connection (found by tests/collab/group-commit.test.ts).
      if (!isEmptyUpdate(payload)) accepted.push(payload);
    }
    let isCommitted = false;
    if (accepted.length > 1) {
      let merged: Uint8Array | null = null;
      try {
        merged = Y.mergeUpdates(accepted);
      } catch {
        merged = null;
      }
      const checkedAt = this.room.appliedUpdates;
      const guarded = merged ? guardUpdate(this.room.doc, merged, this.host.config) : null;
      if (guarded && guarded.verdict === null) {
        if (!isEmptyUpdate(guarded.update))
          await this.host.commit(this.room, guarded.update, this, checkedAt);
        isCommitted = true;
      }
    }
    if (!isCommitted) {
      for (const payload of accepted) {
        if (this.isClosed) return;
        if (!(await this.commitOne(payload, batch.hasPlainUpdate))) break;
      }
    }
    if (isOverRate) throw new CloseRequest(CloseCode.RATE_LIMITED, "Too many changes too fast.");
  }

  /** Checks and commits one update; false when it was set aside (a resync was asked for). */
  private async commitOne(update: Uint8Array, mayResync: boolean): Promise<boolean> {
    const checkedAt = this.room.appliedUpdates;
    const { verdict, update: trimmed } = guardUpdate(this.room.doc, update, this.host.config);
    if (verdict) {
      this.host.log("update-refused", { room: this.room.name, user: this.user.id, reason: verdict.reason });
      if (verdict.reason === "malformed") throw new Error(verdict.message);
      if (verdict.reason === "unknown-parent" && mayResync) {
        // y-websocket sends an edit made as the socket reopens at once, before the sync step 2
        // that carries the offline edits it builds on (tests/collab/offline-edits.test.ts);
        // closing with 4413, which is final, lost those edits. The update stays unapplied, so the
        // depth check stays whole; our sync step 1 asks the client for everything we lack, and
        // its step 2 brings this update back together with its parents.
        this.send(encodeSyncStep1(this.room.doc));
        return false;
      }
      throw new CloseRequest(
        CloseCode.UPDATE_REFUSED,
        "A change was refused: it is too large or nested too deeply.",
      );
    }
    // Nothing left once what the room already holds is cut away: a resend.
    if (!isEmptyUpdate(trimmed)) await this.host.commit(this.room, trimmed, this, checkedAt);
    return true;
  }

  private handleAwareness(update: Uint8Array) {
    if (!this.awarenessRate.take())
      throw new CloseRequest(CloseCode.RATE_LIMITED, "Too many presence updates.");
    const entries = decodeAwarenessUpdate(update);
    const accepted = filterAwareness(entries, {
      owned: this.clientIds,
      isOwnedByOther: (clientId) => this.host.isAwarenessClientOwnedByOther(this.room, clientId, this),
      knownClock: (clientId) => this.room.awareness.meta.get(clientId)?.clock,
      identity: {
        id: this.user.id,
        name: this.user.name,
        color: colorForUser(this.user.id),
        role: this.role,
      },
      maxStateBytes: this.host.config.maxAwarenessStateBytes,
      maxClientIds: 4,
    });
    if (accepted.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.room.awareness, encodeAwarenessUpdate(accepted), this);
  }
}
