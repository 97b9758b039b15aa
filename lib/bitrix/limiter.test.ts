import { describe, expect, it } from 'vitest';
import { EMPTY_BUCKET, STANDARD_BUCKET, markFull, reserve } from './limiter';

describe('leaky bucket', () => {
  it('lets a burst through, then paces at the drain rate', () => {
    let state = EMPTY_BUCKET;
    const waits: number[] = [];
    for (let i = 0; i < 52; i++) {
      const r = reserve(state, 1_000_000, STANDARD_BUCKET);
      waits.push(r.waitMs);
      state = r.next;
    }
    expect(waits.slice(0, 49).every((w) => w === 0)).toBe(true);
    expect(waits[49]).toBe(500);
    expect(waits[50]).toBe(1000);
    expect(waits[51]).toBe(1500);
  });
  it('drains while idle', () => {
    const full = markFull(0, STANDARD_BUCKET);
    expect(reserve(full, 100, STANDARD_BUCKET).waitMs).toBeGreaterThan(0);
    expect(reserve(full, 30_000, STANDARD_BUCKET).waitMs).toBe(0);
  });
});
