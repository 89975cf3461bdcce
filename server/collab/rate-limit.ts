/** A token bucket: `perSecond` tokens refill each second, up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill() {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  /** Takes `cost` tokens; false when there are not enough. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `cost` tokens are there (0: now), without taking any. */
  waitMs(cost = 1): number {
    this.refill();
    if (this.tokens >= cost) return 0;
    return ((cost - this.tokens) / this.perSecond) * 1000;
  }

  /** Refilled to its burst: forgetting it changes nothing. */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }
}

/**
 * One token bucket per key (a client address, a session), created on first
 * use. Full buckets are forgotten by `sweep()`, so keys an attacker makes up
 * cost memory only while they are being used.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly rate: { perSecond: number; burst: number },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The bucket of `key`. */
  get(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.rate.perSecond, this.rate.burst, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Milliseconds until `key` may take a token, without creating its bucket. */
  waitMs(key: string): number {
    return this.buckets.get(key)?.waitMs() ?? 0;
  }

  /** Forgets every full bucket. */
  sweep(): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(key);
  }

  /** Buckets held. */
  get size(): number {
    return this.buckets.size;
  }
}
