/**
 * Admission of websocket upgrades, decided before any database query (issue 9
 * §2: one account's 2,000 sockets, each costing queries before its upgrade,
 * slowed every room). In order, cheapest first:
 *
 * 1. the client address's upgrade rate (token bucket),
 * 2. the address's open sockets, and the whole process's (below the open-file
 *    limit, so the database pool, pages and the due-date sweep keep their
 *    descriptors),
 * 3. after the session cookie is decoded (CPU only), the session's upgrade
 *    rate and the user's open sockets.
 *
 * A refusal is an HTTP status (429, or 503 when the process is full) with
 * Retry-After, written on the raw socket before any upgrade.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { CollabConfig } from "./config";
import { TokenBuckets } from "./rate-limit";

/** Why an upgrade was refused. */
export type RefusalReason = "address-rate" | "address-cap" | "process-cap" | "session-rate" | "user-cap";

/** A refused upgrade: answered with `status` and `Retry-After: retryAfterSeconds`. */
export type Refusal = {
  status: 429 | 503;
  reason: RefusalReason;
  /** Whole seconds, at least 1. */
  retryAfterSeconds: number;
  /** One line for the person. */
  message: string;
};

/** Descriptors assumed when /proc/self/limits cannot be read (not Linux). */
const FALLBACK_FILE_LIMIT = 4096;

/** The soft RLIMIT_NOFILE of this process; null when unknown or unlimited. */
export function readOpenFileLimit(file = "/proc/self/limits"): number | null {
  try {
    const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(readFileSync(file, "utf8"));
    if (!match || match[1] === "unlimited") return null;
    return Number(match[1]);
  } catch {
    return null;
  }
}

/** Sockets the process may hold: the explicit cap, else the open-file limit less the reserve (at most a quarter). */
export function socketLimit(
  config: Pick<CollabConfig, "maxSockets" | "fileDescriptorReserve">,
  fileLimit: number,
) {
  if (config.maxSockets !== null) return config.maxSockets;
  return fileLimit - Math.min(config.fileDescriptorReserve, Math.floor(fileLimit / 4));
}

/**
 * The key an address is limited under: IPv4 as is (also when IPv4-mapped),
 * IPv6 by its /64, since one host is usually given a whole /64 and could
 * otherwise take a fresh address per attempt.
 */
export function addressKey(address: string): string {
  const bare = address.split("%")[0]?.toLowerCase() ?? "";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1] as string;
  if (!bare.includes(":")) return bare;
  const [head = "", tail] = bare.split("::");
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? headParts
      : [
          ...headParts,
          ...Array<string>(Math.max(0, 8 - headParts.length - tailParts.length)).fill("0"),
          ...tailParts,
        ];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

/**
 * The client's address: the socket's peer, or, when that peer is a trusted
 * proxy, the last address in `X-Forwarded-For` that is not one of ours.
 * Without trusted proxies the header is ignored: anyone can write it.
 */
export function clientAddress(request: IncomingMessage, trustedProxies: readonly string[]): string {
  const peer = addressKey(request.socket.remoteAddress ?? "unknown");
  if (trustedProxies.length === 0) return peer;
  const trusted = new Set(trustedProxies.map(addressKey));
  if (!trusted.has(peer)) return peer;
  const header = request.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean)
    .map(addressKey);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.has(hops[i] as string)) return hops[i] as string;
  return hops[0] ?? peer;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** A socket being admitted or open: what it counts against. Released when the socket closes. */
export type AdmissionTicket = {
  /** Counts the socket against `userId`'s cap too. */
  addUser(userId: string): void;
};

/** Admission state of one collab server: buckets, counts, refusals. */
export class Admission {
  /** Sockets this process may hold. */
  readonly socketLimit: number;
  /** The open-file limit it was derived from. */
  readonly fileDescriptorLimit: number;
  private readonly addressRates: TokenBuckets;
  private readonly sessionRates: TokenBuckets;
  private readonly perAddress = new Map<string, number>();
  private readonly perUser = new Map<string, number>();
  private open = 0;
  /** Refusals since start, by reason. */
  readonly refusals: Record<RefusalReason, number> = {
    "address-rate": 0,
    "address-cap": 0,
    "process-cap": 0,
    "session-rate": 0,
    "user-cap": 0,
  };

  constructor(private readonly config: CollabConfig) {
    this.fileDescriptorLimit = readOpenFileLimit() ?? FALLBACK_FILE_LIMIT;
    this.socketLimit = socketLimit(config, this.fileDescriptorLimit);
    this.addressRates = new TokenBuckets(config.upgradeRatePerAddress);
    this.sessionRates = new TokenBuckets(config.upgradeRatePerSession);
  }

  /**
   * Steps 1–2: the address's rate, the address's sockets, the process's.
   * `isDryRun` answers what an attempt would get without spending a token
   * (GET /collab/admission).
   */
  checkAddress(address: string, isDryRun = false): Refusal | null {
    const waitMs = this.addressRates.waitMs(address);
    if (waitMs > 0 || (!isDryRun && !this.addressRates.get(address).take())) {
      return this.refuse(isDryRun, {
        status: 429,
        reason: "address-rate",
        retryAfterSeconds: seconds(waitMs || 1000 / this.config.upgradeRatePerAddress.perSecond),
        message: "Too many connection attempts from your address; try again shortly.",
      });
    }
    if ((this.perAddress.get(address) ?? 0) >= this.config.maxSocketsPerAddress) {
      return this.refuse(isDryRun, {
        status: 429,
        reason: "address-cap",
        retryAfterSeconds: this.config.capRetryAfterSeconds,
        message: "Too many connections from your address.",
      });
    }
    if (this.open >= this.socketLimit) {
      return this.refuse(isDryRun, {
        status: 503,
        reason: "process-cap",
        retryAfterSeconds: this.config.capRetryAfterSeconds,
        message: "The server is at its connection limit; try again shortly.",
      });
    }
    return null;
  }

  /** Step 3: the session's rate and the user's sockets (`sessionId` and `userId` from the decoded cookie). */
  checkSession(sessionId: string, userId: string, isDryRun = false): Refusal | null {
    const waitMs = this.sessionRates.waitMs(sessionId);
    if (waitMs > 0 || (!isDryRun && !this.sessionRates.get(sessionId).take())) {
      return this.refuse(isDryRun, {
        status: 429,
        reason: "session-rate",
        retryAfterSeconds: seconds(waitMs || 1000 / this.config.upgradeRatePerSession.perSecond),
        message: "Too many connection attempts; try again shortly.",
      });
    }
    if ((this.perUser.get(userId) ?? 0) >= this.config.maxSocketsPerUser) {
      return this.refuse(isDryRun, {
        status: 429,
        reason: "user-cap",
        retryAfterSeconds: this.config.capRetryAfterSeconds,
        message: "Too many connections: close a few tabs, or wait.",
      });
    }
    return null;
  }

  /**
   * Counts `socket` against the process and `address` until it closes, however
   * it closes: refused later, failed in the handshake, or a websocket that ends.
   */
  hold(socket: Duplex, address: string): AdmissionTicket {
    this.open++;
    increment(this.perAddress, address);
    let userId: string | null = null;
    socket.once("close", () => {
      this.open--;
      decrement(this.perAddress, address);
      if (userId !== null) decrement(this.perUser, userId);
    });
    return {
      addUser: (id) => {
        if (userId !== null) return;
        userId = id;
        increment(this.perUser, id);
      },
    };
  }

  /** Forgets refilled buckets (called on the heartbeat). */
  sweep(): void {
    this.addressRates.sweep();
    this.sessionRates.sweep();
  }

  /** Numbers for the metrics endpoint. */
  metrics() {
    return {
      openSockets: this.open,
      socketLimit: this.socketLimit,
      fileDescriptorLimit: this.fileDescriptorLimit,
      maxSocketsPerUser: this.config.maxSocketsPerUser,
      maxSocketsPerAddress: this.config.maxSocketsPerAddress,
      refused: { ...this.refusals },
    };
  }

  private refuse(isDryRun: boolean, refusal: Refusal): Refusal {
    if (!isDryRun) this.refusals[refusal.reason]++;
    return refusal;
  }
}

function increment(counts: Map<string, number>, key: string) {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function decrement(counts: Map<string, number>, key: string) {
  const next = (counts.get(key) ?? 1) - 1;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
