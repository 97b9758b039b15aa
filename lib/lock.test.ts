import { describe, expect, it } from 'vitest';
import { withLock } from './lock';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('withLock', () => {
  it('runs holders of one lock one after the other, in the order they asked', async () => {
    const seen: string[] = [];
    const holder = (name: string) => async () => {
      seen.push(`${name} in`);
      await tick();
      seen.push(`${name} out`);
      return name;
    };
    expect(await Promise.all([withLock('a', holder('1')), withLock('a', holder('2')), withLock('a', holder('3'))])).toEqual(['1', '2', '3']);
    expect(seen).toEqual(['1 in', '1 out', '2 in', '2 out', '3 in', '3 out']);
  });

  it('a holder that fails lets the next one run, and its caller hears the failure', async () => {
    const failing = withLock('b', async () => {
      throw new Error('no');
    });
    const next = withLock('b', async () => 'ran');
    await expect(failing).rejects.toThrow('no');
    expect(await next).toBe('ran');
  });

  it('different locks do not wait for each other', async () => {
    let release!: () => void;
    const held = withLock('c', () => new Promise<void>((resolve) => (release = resolve)));
    expect(await withLock('d', async () => 'free')).toBe('free');
    release();
    await held;
  });
});
