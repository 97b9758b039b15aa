import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPortal } from '../../demo/server';
import { actualCopy, expectedCopy, openCountersDb, startTestPortal, testEngine } from './harness';

let portal: DemoPortal;
beforeAll(async () => {
  portal = await startTestPortal({ seed: 7, openActivities: 300 });
});
afterAll(() => portal.close());

describe('first sync', () => {
  it('copies the portal open data record by record', async () => {
    const db = await openCountersDb();
    const logs: string[] = [];
    const engine = testEngine(portal, db, { log: (m) => logs.push(m) });
    portal.stats.reset();
    const outcome = await engine.run();
    console.log(logs.join('\n'), portal.stats.requests, portal.stats.commands);
    expect(outcome.ok).toBe(true);
    const expected = expectedCopy(portal.store);
    const actual = await actualCopy(db);
    expect(actual.items).toEqual(expected.items);
    expect(actual.activities).toEqual(expected.activities);
  });
});
