/**
 * Counters for the metrics endpoint: messages and bytes per second (the
 * last complete second), commit latency percentiles, rooms and connections.
 * Counts only: no room names with content, no message bodies.
 */

type Window = { second: number; messagesIn: number; messagesOut: number; bytesIn: number; bytesOut: number };

/** Per-second traffic counters. */
export class TrafficMeter {
  private current: Window = { second: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
  private previous: Window = { ...this.current };
  /** Totals since start. */
  readonly totals = {
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    refusedUpgrades: 0,
    droppedWrites: 0,
    /** Messages of a cached sync reply deflated for a socket (compression.ts `reuseSharedForms`). */
    syncFramesDeflated: 0,
    /** ... and sent in a form deflated before, for another socket. */
    syncFramesReused: 0,
  };

  private roll() {
    const second = Math.floor(Date.now() / 1000);
    if (second === this.current.second) return;
    this.previous =
      second === this.current.second + 1
        ? this.current
        : { ...this.current, second: second - 1, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
    this.current = { second, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
  }

  /** Counts a message received. */
  received(bytes: number) {
    this.roll();
    this.current.messagesIn++;
    this.current.bytesIn += bytes;
    this.totals.messagesIn++;
    this.totals.bytesIn += bytes;
  }

  /** Counts a message sent. */
  sent(bytes: number) {
    this.roll();
    this.current.messagesOut++;
    this.current.bytesOut += bytes;
    this.totals.messagesOut++;
    this.totals.bytesOut += bytes;
  }

  /** The last complete second. */
  lastSecond(): Omit<Window, "second"> {
    this.roll();
    const { messagesIn, messagesOut, bytesIn, bytesOut } = this.previous;
    return { messagesIn, messagesOut, bytesIn, bytesOut };
  }
}

/** The p-th percentile (0–100) of `values`. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}
