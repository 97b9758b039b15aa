import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedKeys } from './sorted-keys';

type Op = { op: 'push' | 'insert' | 'remove' | 'query'; v: number };

describe('SortedKeys', () => {
  it('behaves as a sorted multiset under any mix of bulk pushes, inserts and removals', () => {
    const opArb: fc.Arbitrary<Op> = fc.record({
      op: fc.constantFrom<Op['op']>('push', 'insert', 'remove', 'query'),
      v: fc.integer({ min: -20, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const keys = new SortedKeys();
        const model: number[] = [];
        for (const { op, v } of ops) {
          if (op === 'push') {
            keys.push(v);
            model.push(v);
          } else if (op === 'insert') {
            keys.insert(v);
            model.push(v);
          } else if (op === 'remove') {
            const i = model.indexOf(v);
            expect(keys.remove(v)).toBe(i >= 0);
            if (i >= 0) model.splice(i, 1);
          } else {
            const sorted = [...model].sort((a, b) => a - b);
            expect(keys.size).toBe(sorted.length);
            expect(keys.countBelow(v)).toBe(sorted.filter((x) => x < v).length);
            expect(keys.countAtMost(v)).toBe(sorted.filter((x) => x <= v).length);
            expect(keys.firstAbove(v)).toBe(sorted.find((x) => x > v) ?? null);
          }
        }
        const sorted = [...model].sort((a, b) => a - b);
        expect(keys.countBelow(Number.POSITIVE_INFINITY)).toBe(sorted.length);
        expect(keys.firstAbove(Number.NEGATIVE_INFINITY)).toBe(sorted[0] ?? null);
      }),
      { numRuns: 500 },
    );
  });
});
