/**
 * The collab server (docs/architecture.md §1, §2, §4, §6): y-websocket protocol over `ws`,
 * one Y.Doc per room, Postgres as the system of record.
 *
 * Life of an update from a client: decoded and checked (capabilities, rate,
 * size, nesting depth) → appended to the update log, group-committed →
 * applied to the room's doc → broadcast to the room's other members.
 * Nothing is broadcast before it is committed, so a `kill -9` at any moment
 * loses nothing another client has seen.
 */
import type { IncomingMessage } from "node:http";
import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { roomCapabilities } from "@/lib/server/policies";
import { getRoomAccess } from "@/lib/server/policies/load-access";
import type { AccessEvent } from "@/lib/server/realtime/access-events";
import { ensureSeminarRoom } from "@/lib/server/realtime/ensure-seminar-room";
import { ensureViewRoom } from "@/lib/server/realtime/view-rooms";
import { seedTextRoom } from "@/lib/server/realtime/seed-text-room";
import {
  applyStoredRoom,
  compactRoom,
  isEmpty,
  loadRoom,
  quarantineRoomData,
  type StoredFinding,
  type UpdatesNotice,
} from "@/lib/server/realtime/update-log";
import type { Room as ParsedRoom } from "@/lib/shared/rooms";
import { Admission, clientAddress, type Refusal } from "./admission";
import { authenticateUpgrade, decodeSessionCookie, type AcceptedUpgrade } from "./authenticate-upgrade";
import { CloseCode } from "@/lib/shared/close-codes";
import { boundedOffers, compressionOptions } from "./compression";
import { resolveConfiguration, type CollabConfig } from "./config";
import { Connection, type ConnectionHost } from "./connection";
import { ConnectionWheel } from "./connection-wheel";
import { percentile, TrafficMeter } from "./metrics";
import { PresenceBus } from "./presence-bus";
import { CollabRoom } from "./room";
import { trimToDoc } from "@/lib/shared/yjs/trim-update";
import { UpdateStore } from "./update-store";

/** Options of {@link CollabServer}. */
export type CollabServerOptions = {
  /** Postgres for the update log and LISTEN/NOTIFY. */
  databaseUrl: string;
  /** A direct (session) connection for LISTEN when databaseUrl goes through a pooler. */
  listenDatabaseUrl?: string;
  /** Limits and timings (defaults in config.ts). */
  config?: Partial<CollabConfig>;
  /** Where events go (never message bodies). Silent by default. */
  log?: (event: string, fields: Record<string, unknown>) => void;
};

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

/** Writes an HTTP refusal on a socket that asked to upgrade, and closes it. */
function refuse(socket: Duplex, status: number, message: string, retryAfterSeconds?: number) {
  if (socket.destroyed) return;
  const retryAfter = retryAfterSeconds === undefined ? "" : `Retry-After: ${retryAfterSeconds}\r\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n${retryAfter}Connection: close\r\n\r\n${message}`,
  );
  // A client that never reads must not keep the descriptor: the refusal is all it gets.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/**
 * The connections' wheel has this many slots: the heartbeat pings one slot's connections per
 * tick (every heartbeatMs ÷ slots), so each is still pinged once per heartbeatMs, and the
 * keep-alive visits one slot per tick of its own period (./connection-wheel.ts).
 */
const WHEEL_SLOTS = 32;

/** The admission verdict of GET /collab/admission: what an upgrade attempt would get now. */
export type AdmissionVerdict =
  { isAdmitted: true } | { isAdmitted: false; status: 429 | 503; retryAfterSeconds: number; message: string };

/** The collab server. `handleUpgrade` plugs into any Node HTTP server. */
export class CollabServer implements ConnectionHost {
  readonly config: CollabConfig;
  /** Identifies this process in update notices. */
  readonly processId = randomUUID();
  private readonly store: UpdateStore;
  private readonly wss: WebSocketServer;
  private readonly rooms = new Map<string, CollabRoom>();
  private readonly connections = new Set<Connection>();
  private readonly traffic = new TrafficMeter();
  private readonly admission: Admission;
  private readonly background = new Set<Promise<unknown>>();
  private readonly compacting = new Set<string>();
  /** Notices that arrived while their room was loading. */
  private readonly noticesWhileLoading = new Map<string, Set<string>>();
  /** Every connection, for the heartbeat and the keep-alive. */
  private readonly wheel = new ConnectionWheel<Connection>(WHEEL_SLOTS);
  /** Stop the heartbeat's and the keep-alive's turns of the wheel. */
  private stopTimers: (() => void)[] = [];
  private isClosing = false;
  /** Presence across processes; null when presence stays in this process (no redisUrl). */
  readonly presence: PresenceBus | null;
  private hasWarnedOfOtherProcess = false;
  /** Stored rows and snapshots moved to quarantine by this process (issue 9 §1). */
  private quarantinedRows = 0;
  readonly log: (event: string, fields: Record<string, unknown>) => void;

  constructor(options: CollabServerOptions) {
    this.config = resolveConfiguration(options.config);
    this.log = options.log ?? (() => {});
    this.store = new UpdateStore(options.databaseUrl, this.processId, options.listenDatabaseUrl);
    this.presence = this.config.redisUrl
      ? new PresenceBus(
          {
            redisUrl: this.config.redisUrl,
            processId: this.processId,
            heartbeatMs: this.config.presenceHeartbeatMs,
            ttlMs: this.config.presenceTtlMs,
            log: this.log,
          },
          {
            findRoom: (name) => this.rooms.get(name),
            isLocallyOwned: (room, clientId) =>
              [...room.members].some((member) => (member as Connection).clientIds.has(clientId)),
            maxStateBytes: this.config.maxAwarenessStateBytes,
          },
        )
      : null;
    this.admission = new Admission(this.config);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.config.maxPayloadBytes,
      perMessageDeflate: compressionOptions(this.config.compressAboveBytes),
    });
  }

  /** Starts listening to Postgres; call before handling upgrades. */
  async start(): Promise<void> {
    await this.presence?.start();
    await this.store.listen({
      onUpdates: (notice) => this.track(this.onUpdates(notice)),
      onAccess: (event) => this.track(this.onAccess(event)),
      onReconnect: () => this.track(this.catchUp()),
    });
    this.stopTimers = [
      this.wheel.turn(this.config.heartbeatMs, (connections, slot) => this.beat(connections, slot)),
      this.wheel.turn(this.config.keepAliveMs, (connections) => {
        const now = Date.now();
        for (const connection of connections) connection.keepAlive(now, this.config.keepAliveMs);
      }),
    ];
  }

  /**
   * The `upgrade` handler for `/collab/<room>`. Admission limits come first and
   * touch no database (admission.ts); only then the session row and policies.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    if (this.isClosing) return refuse(socket, 503, "The server is shutting down.");
    const address = clientAddress(request, this.config.trustedProxies);
    const refusal = this.admission.checkAddress(address);
    if (refusal) return this.refuseAdmission(request, socket, refusal);
    const ticket = this.admission.hold(socket, address);
    decodeSessionCookie(request)
      .then((claims) => {
        if (claims) {
          const sessionRefusal = this.admission.checkSession(claims.sessionId, claims.userId);
          if (sessionRefusal) return this.refuseAdmission(request, socket, sessionRefusal);
          // Counted from now, before the queries, so concurrent attempts cannot all pass the cap.
          ticket.addUser(claims.userId);
        }
        return authenticateUpgrade(request, claims).then((decision) => {
          if (!decision.ok) {
            this.traffic.totals.refusedUpgrades++;
            this.log("refused", { status: decision.status, url: request.url?.slice(0, 160) });
            return refuse(socket, decision.status, decision.message);
          }
          if (this.isClosing) return refuse(socket, 503, "The server is shutting down.");
          if (socket.destroyed) return;
          if (this.config.compressAboveBytes > 0) boundedOffers(request);
          this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, decision));
        });
      })
      .catch((error: unknown) => {
        this.log("upgrade-error", { error: error instanceof Error ? error.message : String(error) });
        refuse(socket, 503, "The server could not check your access; try again.");
      });
  }

  private refuseAdmission(request: IncomingMessage, socket: Duplex, refusal: Refusal) {
    this.traffic.totals.refusedUpgrades++;
    this.log("refused", { status: refusal.status, reason: refusal.reason, url: request.url?.slice(0, 160) });
    refuse(socket, refusal.status, refusal.message, refusal.retryAfterSeconds);
  }

  /**
   * What an upgrade attempt of this request's client would get now, from the
   * same admission checks without spending a token. The browser cannot read
   * the status of a refused upgrade, so the client asks this when its socket
   * failed before opening (lib/client/collab/room-provider.ts). No database.
   */
  async admissionVerdict(request: IncomingMessage): Promise<AdmissionVerdict> {
    if (this.isClosing)
      return { isAdmitted: false, status: 503, retryAfterSeconds: 5, message: "The server is restarting." };
    let refusal = this.admission.checkAddress(clientAddress(request, this.config.trustedProxies), true);
    if (!refusal) {
      const claims = await decodeSessionCookie(request);
      if (claims) refusal = this.admission.checkSession(claims.sessionId, claims.userId, true);
    }
    if (!refusal) return { isAdmitted: true };
    const { status, retryAfterSeconds, message } = refusal;
    return { isAdmitted: false, status, retryAfterSeconds, message };
  }

  private accept(ws: WebSocket, decision: AcceptedUpgrade) {
    const room = this.getRoom(decision.roomName, decision.room);
    room.cancelUnload();
    const connection = new Connection(ws, this, room, decision.user, decision.capabilities, decision.role);
    room.members.add(connection);
    this.connections.add(connection);
    this.wheel.add(connection);
    this.log("open", { room: room.name, user: decision.user.id, canWrite: decision.capabilities.canWrite });
  }

  /** The room, loading it once however many connections ask at the same time. */
  private getRoom(name: string, parsed: ParsedRoom): CollabRoom {
    const existing = this.rooms.get(name);
    if (existing) return existing;
    const room = new CollabRoom(name, parsed, {
      awarenessFlushMs: this.config.awarenessFlushMs,
      // Text rooms are shared across seminars: presence lives in seminar rooms (docs/adr/0006).
      relaysAwareness: parsed.kind !== "text",
      // The rooms the server writes, whose readers read what changed (docs/adr/0036).
      syncSliceBytes: parsed.kind === "seminar" || parsed.kind === "view" ? this.config.syncSliceBytes : 0,
    });
    this.rooms.set(name, room);
    if (parsed.kind !== "text") this.presence?.join(room);
    room.ready = this.load(room);
    room.ready.catch((error: unknown) => {
      this.log("load-error", { room: name, error: error instanceof Error ? error.message : String(error) });
      for (const member of room.members)
        (member as Connection).close(CloseCode.INTERNAL_ERROR, "The room could not be loaded.");
      this.rooms.delete(name);
      room.destroy();
    });
    return room;
  }

  private async load(room: CollabRoom): Promise<void> {
    let stored = await loadRoom(room.name);
    if (room.room.kind === "text" && isEmpty(stored)) {
      await seedTextRoom(room.room.documentId, this.processId);
      stored = await loadRoom(room.name);
    } else if (room.room.kind === "seminar" && isEmpty(stored)) {
      // A seminar room is a projection of Postgres rows: fill it on first load.
      await ensureSeminarRoom(room.room.seminarId, room.room.documentId);
      stored = await loadRoom(room.name);
    } else if (room.room.kind === "view") {
      // A view room is re-projected on every load: it is not kept current while its
      // reading has no gate (docs/adr/0019).
      await ensureViewRoom(room.room.seminarId, room.room.documentId, room.room.userId);
      stored = await loadRoom(room.name);
    }
    await this.quarantine(room.name, room.applyStored(stored));
    // Updates announced while we were reading may not be in what we read. Taking them and
    // setting isLoaded happen in one synchronous step, so every notice is either taken here
    // or applied directly by onUpdates, never left behind.
    const missed = this.noticesWhileLoading.get(room.name);
    this.noticesWhileLoading.delete(room.name);
    room.isLoaded = true;
    if (missed?.size) await this.applyRows(room, [...missed]);
  }

  /**
   * Moves stored data that could not be loaded as stored to the quarantine table (the room
   * has already loaded from everything else) and names it in the log. A failure to write the
   * quarantine is logged, never fatal: the next load finds the same rows again.
   */
  private async quarantine(room: string, findings: StoredFinding[]) {
    if (findings.length === 0) return;
    this.log("quarantine", {
      room,
      rows: findings.map((finding) => `${finding.source}:${finding.rowId}`),
      reasons: findings.map((finding) => finding.reason.slice(0, 200)),
    });
    try {
      this.quarantinedRows += await quarantineRoomData(room, findings);
    } catch (error) {
      this.log("quarantine-error", { room, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async commit(room: CollabRoom, update: Uint8Array, from: Connection, checkedAt: number): Promise<void> {
    room.pendingWrites++;
    let id: bigint | null = null;
    try {
      id = await this.store.append(room.name, update, from.user.id);
      // Committed: now the room may have it, and so may everyone else in it.
      try {
        // Checked (and trimmed) against the room as it was; with commits in flight together,
        // others may have been applied since, so it is trimmed again to what the room lacks now.
        Y.applyUpdate(
          room.doc,
          room.appliedUpdates === checkedAt ? update : trimToDoc(room.doc, update),
          from,
        );
      } catch (error) {
        // The guard's checks passed but Yjs could not apply it to this room: take the row
        // back (nobody received it) and reload the room from what is stored, since a failed
        // apply may have left the document half-changed.
        await this.store.deleteRow(id);
        this.log("apply-error", {
          room: room.name,
          user: from.user.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        from.close(CloseCode.UPDATE_REFUSED, "A change was refused: it could not be applied.");
        this.reloadRoom(room);
        return;
      }
      room.rowsSinceCompaction++;
      if (room.rowsSinceCompaction >= this.config.compactAfterRows) this.compactInBackground(room);
    } catch (error) {
      this.log("commit-error", {
        room: room.name,
        error: error instanceof Error ? error.message : String(error),
      });
      from.close(CloseCode.INTERNAL_ERROR, "Your change could not be saved; reconnecting to resend it.");
    } finally {
      room.pendingWrites--;
    }
  }

  /** Closes every member of a room (they reconnect) and forgets it, so the next connection loads it afresh. */
  private reloadRoom(room: CollabRoom) {
    for (const member of [...room.members]) {
      (member as Connection).close(CloseCode.INTERNAL_ERROR, "The room is reloading; reconnecting…");
    }
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    room.destroy();
  }

  private compactInBackground(room: CollabRoom) {
    if (this.compacting.has(room.name)) return;
    this.compacting.add(room.name);
    const before = room.rowsSinceCompaction;
    this.track(
      compactRoom(room.name)
        .then(() => {
          room.rowsSinceCompaction = Math.max(0, room.rowsSinceCompaction - before);
        })
        .catch((error: unknown) => this.log("compact-error", { room: room.name, error: String(error) }))
        .finally(() => this.compacting.delete(room.name)),
    );
  }

  onClosed(connection: Connection): void {
    this.connections.delete(connection);
    this.wheel.delete(connection);
    const { room } = connection;
    room.members.delete(connection);
    if (connection.clientIds.size > 0 && !room.isDestroyed) {
      awarenessProtocol.removeAwarenessStates(room.awareness, [...connection.clientIds], connection);
    }
    if (room.members.size === 0 && !room.isDestroyed) {
      room.scheduleUnload(this.config.idleUnloadMs, () => this.unload(room));
    }
  }

  /** Unloads an idle room once nothing is pending; compacts its log if it grew. */
  private unload(room: CollabRoom) {
    if (room.members.size > 0 || room.isDestroyed) return;
    if (room.pendingWrites > 0) {
      room.scheduleUnload(50, () => this.unload(room));
      return;
    }
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    const shouldCompact = room.rowsSinceCompaction >= this.config.compactOnUnloadRows;
    room.destroy();
    this.log("unload", { room: room.name });
    if (shouldCompact && !this.compacting.has(room.name)) {
      this.compacting.add(room.name);
      this.track(
        compactRoom(room.name)
          .catch((error: unknown) => this.log("compact-error", { room: room.name, error: String(error) }))
          .finally(() => this.compacting.delete(room.name)),
      );
    }
  }

  isAwarenessClientOwnedByOther(room: CollabRoom, clientId: number, connection: Connection): boolean {
    for (const member of room.members) {
      if (member !== connection && (member as Connection).clientIds.has(clientId)) return true;
    }
    return this.presence?.isOwnedElsewhere(room, clientId, connection.user.id) ?? false;
  }

  /** Another process committed updates: apply those of rooms we hold. */
  private async onUpdates(notice: UpdatesNotice) {
    if (notice.p === this.processId) return;
    if (!this.presence) this.warnOfOtherProcess(notice.p);
    const room = this.rooms.get(notice.r);
    if (!room) return;
    if (room.isDestroyed) return;
    // A flag, not a race against `room.ready`: racing an already-resolved promise against
    // `Promise.resolve().then(() => (isLoaded = false))` runs both callbacks, so every notice
    // was parked for a loader that had long finished and no other process's update (nor any
    // server-written seminar change) ever reached a loaded room (tests/collab/server-written-room.test.ts).
    if (!room.isLoaded) {
      // Still loading: remember the ids; the loader applies them once it has read the log.
      const ids = this.noticesWhileLoading.get(notice.r) ?? new Set<string>();
      for (const id of notice.ids) ids.add(id);
      this.noticesWhileLoading.set(notice.r, ids);
      return;
    }
    await this.applyRows(room, notice.ids);
  }

  /**
   * Another collab process commits to this database, yet presence stays in this process: the
   * readers on the two will not see each other. Said once. ("server" notices come from API
   * writes, which any process, this one included, makes.)
   */
  private warnOfOtherProcess(processId: string) {
    if (this.hasWarnedOfOtherProcess || processId === "server" || processId === "seed") return;
    this.hasWarnedOfOtherProcess = true;
    console.warn(
      "[marginalia] Another collab process writes to this database, but REDIS_URL is not set: " +
        "readers connected to different processes will not see each other's presence. " +
        "Set REDIS_URL on every process (README: Running several processes).",
    );
  }

  /** Fetches the named rows and applies them; if some are gone (compacted), reloads the room's whole state. */
  private async applyRows(room: CollabRoom, ids: string[]) {
    const rows = await this.store.readRows(room.name, ids);
    if (room.isDestroyed) return;
    if (rows.length < ids.length) return this.reapply(room);
    // Checked as at load: server-written rows never passed a connection's guard.
    let findings: StoredFinding[] = [];
    Y.transact(
      room.doc,
      () => (findings = applyStoredRoom(room.doc, { snapshot: null, rows }, "remote")),
      "remote",
    );
    await this.quarantine(room.name, findings);
  }

  /** Applies everything stored for the room; Yjs ignores what it already has and broadcasts the rest. */
  private async reapply(room: CollabRoom) {
    const stored = await loadRoom(room.name);
    if (room.isDestroyed) return;
    let findings: StoredFinding[] = [];
    Y.transact(room.doc, () => (findings = applyStoredRoom(room.doc, stored, "remote")), "remote");
    await this.quarantine(room.name, findings);
  }

  /** The listener reconnected: it may have missed notices. Catch up every room and re-check every connection. */
  private async catchUp() {
    this.log("listener-reconnected", { rooms: this.rooms.size });
    for (const room of [...this.rooms.values()]) {
      await room.ready.catch(() => undefined);
      if (!room.isDestroyed) await this.reapply(room);
    }
    await this.recheck([...this.connections]);
  }

  /** Someone's access may have changed: close the sockets that lost it. */
  private async onAccess(event: AccessEvent) {
    if (event.type === "session-revoked") {
      for (const connection of [...this.connections]) {
        if (connection.user.sessionId === event.sessionId)
          connection.close(CloseCode.SESSION_ENDED, "You signed out.");
      }
      return;
    }
    const affected = [...this.connections].filter((connection) =>
      event.type === "membership-changed"
        ? connection.user.id === event.userId
        : !("seminarId" in connection.room.room) || connection.room.room.seminarId === event.seminarId,
    );
    await this.recheck(affected);
  }

  /** Asks the policies again for each connection; closes those whose rights changed. */
  private async recheck(connections: Connection[]) {
    for (const connection of connections) {
      if (connection.isClosed) continue;
      const access = await getRoomAccess({ userId: connection.user.id }, connection.room.room);
      const capabilities = access ? roomCapabilities(access) : { canRead: false, canWrite: false };
      const role = access && "seminar" in access ? access.seminar.role : null;
      if (!capabilities.canRead) {
        connection.close(CloseCode.ACCESS_REVOKED, "You no longer have access to this reading.");
      } else if (capabilities.canWrite !== connection.capabilities.canWrite || role !== connection.role) {
        connection.close(CloseCode.CAPABILITIES_CHANGED, "Your role changed; reconnecting.");
      }
    }
  }

  /** One tick of the heartbeat: pings one slot's sockets, cuts those that missed their last ping, closes expired sessions. */
  private beat(connections: Connection[], slot: number) {
    if (slot === 0) this.admission.sweep();
    const now = Date.now();
    for (const connection of connections) {
      if (connection.user.expiresAt <= now)
        connection.close(CloseCode.SESSION_ENDED, "Your session expired. Sign in again.");
      else if (!connection.isAlive) connection.terminate();
      else connection.ping();
    }
  }

  private track<T>(promise: Promise<T>): void {
    const tracked = promise.catch((error: unknown) => this.log("background-error", { error: String(error) }));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  countReceived(bytes: number) {
    this.traffic.received(bytes);
  }

  countSent(bytes: number) {
    this.traffic.sent(bytes);
  }

  countDroppedWrite() {
    this.traffic.totals.droppedWrites++;
  }

  countSharedSyncFrame(isReused: boolean) {
    if (isReused) this.traffic.totals.syncFramesReused++;
    else this.traffic.totals.syncFramesDeflated++;
  }

  /** Numbers for the metrics endpoint. */
  metrics() {
    const latencies = this.store.commitLatencies;
    return {
      rooms: this.rooms.size,
      connections: this.connections.size,
      perSecond: this.traffic.lastSecond(),
      totals: { ...this.traffic.totals, commits: this.store.commits, quarantinedRows: this.quarantinedRows },
      commitLatencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.length ? Math.max(...latencies) : null,
        samples: latencies.length,
      },
      pendingCommits: this.store.pendingCount,
      peakCommitsInFlight: this.store.peakInFlight,
      admission: this.admission.metrics(),
      presence: this.presence?.metrics() ?? null,
    };
  }

  /** What tests inspect: loaded rooms and the timers they hold. */
  inspect() {
    return {
      rooms: [...this.rooms.values()].map((room) => ({
        name: room.name,
        members: room.members.size,
        timers: room.activeTimers,
        pendingWrites: room.pendingWrites,
      })),
      connections: this.connections.size,
      background: this.background.size,
    };
  }

  /**
   * Graceful shutdown (a drain): refuse new sockets, close every socket with 1012 "service
   * restart" so its client reconnects at once (through the balancer, to another process), let
   * pending commits finish, unload every room, say goodbye on Redis, stop listening.
   */
  async close(): Promise<void> {
    if (this.isClosing) return;
    this.isClosing = true;
    for (const stop of this.stopTimers) stop();
    this.stopTimers = [];
    for (const connection of [...this.connections])
      connection.close(CloseCode.SERVICE_RESTART, "The server is restarting.");
    while (this.store.pendingCount > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.allSettled([...this.background]);
    for (const room of [...this.rooms.values()]) room.destroy();
    this.rooms.clear();
    this.wss.close();
    await this.presence?.close();
    await this.store.close();
  }
}
