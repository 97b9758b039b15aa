// A client-side copy of the portal's leaky bucket: +1 per HTTP request,
// draining `drainPerSecond`, holding `capacity`. Staying under it means the
// portal never has to answer QUERY_LIMIT_EXCEEDED.

export interface BucketConfig {
  capacity: number;
  drainPerSecond: number;
}

/** Standard plans; Enterprise is 250 and 5/s. */
export const STANDARD_BUCKET: BucketConfig = { capacity: 50, drainPerSecond: 2 };
export const ENTERPRISE_BUCKET: BucketConfig = { capacity: 250, drainPerSecond: 5 };

/** The bucket's level at a moment; plain data so it can be persisted across worker restarts. */
export interface BucketState {
  level: number;
  at: number;
}

export const EMPTY_BUCKET: BucketState = { level: 0, at: 0 };

/** The level drained down to `now`. */
export function drained(state: BucketState, now: number, config: BucketConfig): number {
  // `at` may lie ahead of `now` when requests were reserved for later.
  const elapsed = (now - state.at) / 1000;
  return Math.max(0, state.level - elapsed * config.drainPerSecond);
}

/**
 * Takes one slot. Returns how long to wait before sending, and the state
 * after the request is sent. A margin of one slot is kept for the clock skew
 * between us and the portal.
 */
export function reserve(
  state: BucketState,
  now: number,
  config: BucketConfig,
): { waitMs: number; next: BucketState } {
  const level = drained(state, now, config);
  const limit = Math.max(1, config.capacity - 1);
  const excess = level + 1 - limit;
  const waitMs = excess > 0 ? Math.ceil((excess / config.drainPerSecond) * 1000) : 0;
  const sendAt = now + waitMs;
  return { waitMs, next: { level: drained({ level, at: now }, sendAt, config) + 1, at: sendAt } };
}

/** After a QUERY_LIMIT_EXCEEDED the portal's bucket is full whatever we counted. */
export function markFull(now: number, config: BucketConfig): BucketState {
  return { level: config.capacity, at: now };
}
