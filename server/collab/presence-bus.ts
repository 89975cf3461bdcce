/**
 * Presence across processes over Redis pub/sub (docs/adr/0020-several-processes.md).
 *
 * Committed updates cross processes through Postgres (the update log and NOTIFY); awareness
 * is ephemeral and frequent, so it crosses through Redis and never touches Postgres.
 *
 * - Each seminar room a process holds is one channel. At each awareness flush (room.ts) the
 *   process publishes the states its own connections changed, already rewritten by the
 *   awareness filter (identity, size), in batches of at most 64 entries.
 * - A process that loads a room asks the room's channel for everyone's presence; each holder
 *   answers with its own connections' states.
 * - Every process publishes a heartbeat every `presenceHeartbeatMs`. Entries of a process not
 *   heard from for `presenceTtlMs` are removed from every room, so the readers of a process
 *   killed with SIGKILL vanish within presenceTtlMs + presenceHeartbeatMs. A process that
 *   shuts down says goodbye and its entries go at once.
 * - A client id belongs to one process. A connection may take over an id another process
 *   holds only for the same user (a reader whose process died reconnects elsewhere with the
 *   same Yjs client id); another user's claim is refused, as within one process.
 */
import { Redis } from "ioredis";
import * as awarenessProtocol from "y-protocols/awareness";
import { decodeAwarenessUpdate, encodeAwarenessUpdate, type AwarenessEntry } from "./awareness-filter";
import { REMOTE_PRESENCE, type CollabRoom } from "./room";

/** Prefix of every channel, so other uses of the same Redis stay apart. */
const PREFIX = "marginalia:presence:";
const PROCESSES_CHANNEL = `${PREFIX}processes`;
/** Entries per published message: decodeAwarenessUpdate refuses more. */
const BATCH = 64;

/** What the bus needs from the collab server. */
export type PresenceHost = {
  /** The loaded room of this name, if this process holds it. */
  findRoom(name: string): CollabRoom | undefined;
  /** True when a connection of this process owns the client id in the room. */
  isLocallyOwned(room: CollabRoom, clientId: number): boolean;
  /** Largest awareness state (JSON) a client may have. */
  maxStateBytes: number;
};

/** Options of {@link PresenceBus}. */
export type PresenceBusOptions = {
  /** redis:// URL. */
  redisUrl: string;
  /** This process, as named in every message. */
  processId: string;
  /** Heartbeat interval. */
  heartbeatMs: number;
  /** Silence after which a process's entries are removed. */
  ttlMs: number;
  /** Where events go. */
  log: (event: string, fields: Record<string, unknown>) => void;
};

type Message =
  | { p: string; t: "update"; u: string }
  | { p: string; t: "query" }
  | { p: string; t: "alive" }
  | { p: string; t: "bye" };

/** Presence of every seminar room this process holds, shared with the other processes. */
export class PresenceBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  /** Room name → client id → the process that owns it, for entries that came from elsewhere. */
  private readonly remoteOwners = new Map<string, Map<number, string>>();
  /** Process id → when we last heard from it. */
  private readonly lastHeard = new Map<string, number>();
  private readonly rooms = new Map<string, CollabRoom>();
  private timer: NodeJS.Timeout | null = null;
  private isClosed = false;
  /** Counters for metrics. */
  readonly totals = { published: 0, received: 0, publishErrors: 0, expiredProcesses: 0 };

  constructor(
    private readonly options: PresenceBusOptions,
    private readonly host: PresenceHost,
  ) {
    const common = { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 };
    // Presence that cannot be sent now is stale by the time Redis is back: no offline queue.
    this.publisher = new Redis(options.redisUrl, { ...common, enableOfflineQueue: false });
    this.subscriber = new Redis(options.redisUrl, common);
    for (const client of [this.publisher, this.subscriber])
      client.on("error", (error: Error) => this.options.log("redis-error", { error: error.message }));
    this.subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) =>
      this.receive(channel.toString(), message.toString()),
    );
    // ioredis subscribes again after a reconnect; what we missed meanwhile we ask for again.
    let readyCount = 0;
    this.subscriber.on("ready", () => {
      if (++readyCount > 1) for (const name of this.rooms.keys()) this.send(name, { p: this.id, t: "query" });
    });
  }

  private get id() {
    return this.options.processId;
  }

  /** Connects both clients; throws (with Redis's reason) when Redis cannot be reached. */
  async start(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(PROCESSES_CHANNEL);
    this.timer = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.timer.unref();
    this.beat();
  }

  /** True when Redis answers a PING within a second (for /readyz). */
  async isReachable(): Promise<boolean> {
    if (this.publisher.status !== "ready") return false;
    try {
      const answer = await Promise.race([
        this.publisher.ping(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000).unref()),
      ]);
      return answer === "PONG";
    } catch {
      return false;
    }
  }

  /** Starts sharing a room's presence: subscribes, asks the others for theirs, publishes ours at each flush. */
  join(room: CollabRoom): void {
    this.rooms.set(room.name, room);
    room.onLocalPresence = (clientIds) => this.publishLocal(room, clientIds);
    room.onDestroy = () => this.leave(room);
    this.subscriber
      .subscribe(PREFIX + room.name)
      .then(() => this.send(room.name, { p: this.id, t: "query" }))
      .catch((error: unknown) => this.options.log("redis-error", { error: String(error) }));
  }

  private leave(room: CollabRoom) {
    if (this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    this.remoteOwners.delete(room.name);
    if (!this.isClosed) this.subscriber.unsubscribe(PREFIX + room.name).catch(() => undefined);
  }

  /**
   * True when another process holds the client id for a different user: a connection here
   * must not write it. The same user may take it over (a reconnect after its process died).
   */
  isOwnedElsewhere(room: CollabRoom, clientId: number, userId: string): boolean {
    if (!this.remoteOwners.get(room.name)?.has(clientId)) return false;
    const user = (room.awareness.getStates().get(clientId)?.user as { id?: unknown } | undefined)?.id;
    return user !== userId;
  }

  /** Publishes the states of the given ids that this process's connections own or removed. */
  private publishLocal(room: CollabRoom, clientIds: number[]) {
    const owners = this.remoteOwners.get(room.name);
    const ids = clientIds.filter((id) => {
      if (this.host.isLocallyOwned(room, id)) {
        owners?.delete(id); // Taken over here: no longer expires with the other process.
        return true;
      }
      // A removal of our own (the connection closed), never of another process's entry.
      return !owners?.has(id);
    });
    for (let start = 0; start < ids.length; start += BATCH) {
      const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids.slice(start, start + BATCH));
      this.send(room.name, { p: this.id, t: "update", u: Buffer.from(update).toString("base64") });
    }
  }

  private send(roomName: string | null, message: Message) {
    if (this.isClosed && message.t !== "bye") return;
    const channel = roomName === null ? PROCESSES_CHANNEL : PREFIX + roomName;
    this.totals.published++;
    this.publisher.publish(channel, JSON.stringify(message)).catch(() => {
      this.totals.publishErrors++;
    });
  }

  private receive(channel: string, raw: string) {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (typeof message?.p !== "string" || message.p === this.id) return;
    this.totals.received++;
    this.lastHeard.set(message.p, Date.now());
    if (message.t === "bye") return this.expire(message.p);
    if (channel === PROCESSES_CHANNEL || !channel.startsWith(PREFIX)) return;
    const room = this.rooms.get(channel.slice(PREFIX.length));
    if (!room || room.isDestroyed) return;
    if (message.t === "query") return this.answerQuery(room);
    if (message.t === "update" && typeof message.u === "string") this.applyRemote(room, message.p, message.u);
  }

  /** Another process loaded the room: it gets our connections' states. */
  private answerQuery(room: CollabRoom) {
    const ours = [...room.awareness.getStates().keys()].filter((id) => this.host.isLocallyOwned(room, id));
    if (ours.length > 0) this.publishLocal(room, ours);
  }

  private applyRemote(room: CollabRoom, processId: string, base64: string) {
    let entries: AwarenessEntry[];
    try {
      entries = decodeAwarenessUpdate(Buffer.from(base64, "base64"));
    } catch (error) {
      this.options.log("presence-refused", { room: room.name, error: String(error) });
      return;
    }
    const owners = this.remoteOwners.get(room.name) ?? new Map<number, string>();
    this.remoteOwners.set(room.name, owners);
    // Our own connections' ids are ours; a state over the bound is dropped here too.
    const accepted = entries.filter(
      (entry) =>
        !this.host.isLocallyOwned(room, entry.clientId) &&
        (entry.state === null || JSON.stringify(entry.state).length <= this.host.maxStateBytes),
    );
    if (accepted.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(room.awareness, encodeAwarenessUpdate(accepted), REMOTE_PRESENCE);
    for (const entry of accepted) {
      if (entry.state === null) owners.delete(entry.clientId);
      else owners.set(entry.clientId, processId);
    }
  }

  /** Publishes our heartbeat and removes the entries of processes that fell silent. */
  private beat() {
    this.send(null, { p: this.id, t: "alive" });
    const silentSince = Date.now() - this.options.ttlMs;
    for (const [processId, heard] of this.lastHeard) if (heard < silentSince) this.expire(processId);
  }

  /** Removes every entry the process owns, in every room. */
  private expire(processId: string) {
    this.lastHeard.delete(processId);
    let removed = 0;
    for (const [name, owners] of this.remoteOwners) {
      const room = this.rooms.get(name);
      const ids = [...owners].filter(([, owner]) => owner === processId).map(([id]) => id);
      for (const id of ids) owners.delete(id);
      if (room && !room.isDestroyed && ids.length > 0) {
        awarenessProtocol.removeAwarenessStates(room.awareness, ids, REMOTE_PRESENCE);
        removed += ids.length;
      }
    }
    if (removed > 0) {
      this.totals.expiredProcesses++;
      this.options.log("presence-expired", { process: processId, entries: removed });
    }
  }

  /** Numbers for the metrics endpoint. */
  metrics() {
    let remoteEntries = 0;
    for (const owners of this.remoteOwners.values()) remoteEntries += owners.size;
    return { ...this.totals, rooms: this.rooms.size, otherProcesses: this.lastHeard.size, remoteEntries };
  }

  /** Says goodbye (the others drop our entries at once) and disconnects. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.send(null, { p: this.id, t: "bye" });
    this.isClosed = true;
    this.rooms.clear();
    this.remoteOwners.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
