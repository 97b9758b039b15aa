// Bitrix24's two limits: a leaky bucket on request rate per portal, and a
// per-method budget of server time over ten one-minute buckets.

export interface RateLimitOptions {
  enabled: boolean;
  /** Requests drained per second (Bitrix24 cloud: 2; Enterprise: 5). */
  drainPerSecond: number;
  /** Bucket size (cloud: 50; Enterprise: 250). */
  capacity: number;
}

export interface OperatingLimitOptions {
  enabled: boolean;
  /** Server seconds one method may use per 10 minutes (Bitrix24: 480). */
  limitSeconds: number;
  /** Simulated server seconds per call; undefined = the real processing time. A map gives per-method costs (lower-case names). */
  costSeconds?: number | Record<string, number>;
}

export class LeakyBucket {
  private level = 0;
  private last = Date.now();

  /** Adds one request; false when the bucket is full (the request is refused and not counted). */
  take(options: RateLimitOptions, at = Date.now()): boolean {
    this.drain(options, at);
    if (this.level + 1 > options.capacity) return false;
    this.level += 1;
    return true;
  }

  current(options: RateLimitOptions, at = Date.now()): number {
    this.drain(options, at);
    return this.level;
  }

  reset(): void {
    this.level = 0;
    this.last = Date.now();
  }

  private drain(options: RateLimitOptions, at: number): void {
    const elapsed = Math.max(0, at - this.last) / 1000;
    this.level = Math.max(0, this.level - elapsed * options.drainPerSecond);
    this.last = at;
  }
}

const MINUTE = 60_000;
const WINDOW_BUCKETS = 10;

export class OperatingBudget {
  /** method → minute index → seconds used. */
  private readonly used = new Map<string, Map<number, number>>();

  private buckets(method: string, at: number): Map<number, number> {
    let m = this.used.get(method);
    if (!m) {
      m = new Map();
      this.used.set(method, m);
    }
    const current = Math.floor(at / MINUTE);
    for (const minute of m.keys()) if (minute <= current - WINDOW_BUCKETS) m.delete(minute);
    return m;
  }

  /** Seconds used by `method` in the last ten minutes. */
  operating(method: string, at = Date.now()): number {
    let sum = 0;
    for (const s of this.buckets(method, at).values()) sum += s;
    return sum;
  }

  /** Unix seconds when the oldest counted minute leaves the window. */
  resetAt(method: string, at = Date.now()): number {
    const minutes = [...this.buckets(method, at).keys()];
    const oldest = minutes.length ? Math.min(...minutes) : Math.floor(at / MINUTE);
    return ((oldest + WINDOW_BUCKETS) * MINUTE) / 1000;
  }

  blocked(method: string, options: OperatingLimitOptions, at = Date.now()): boolean {
    return options.enabled && this.operating(method, at) >= options.limitSeconds;
  }

  record(method: string, seconds: number, at = Date.now()): void {
    const m = this.buckets(method, at);
    const minute = Math.floor(at / MINUTE);
    m.set(minute, (m.get(minute) ?? 0) + seconds);
  }

  reset(): void {
    this.used.clear();
  }
}

export function costOf(options: OperatingLimitOptions, method: string, measuredSeconds: number): number {
  const c = options.costSeconds;
  if (typeof c === 'number') return c;
  if (c && typeof c === 'object' && c[method] !== undefined) return c[method];
  return measuredSeconds;
}
