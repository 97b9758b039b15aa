// Faults against the real demo portal: after each fault ends the copy
// converges to the portal, and while it lasts nothing good is deleted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DemoPortal } from '../../demo/server';
import { STANDARD_BUCKET } from '../bitrix/limiter';
import type { Db } from '../store/db';
import { getMeta, loadSyncState } from '../store/sync-store';
import { actualCopy, applyPortalChange, expectedCopy, openCountersDb, portalCall, startTestPortal, testEngine } from '../../tests/unit/sync-harness';

let portal: DemoPortal | null = null;
afterEach(async () => {
  vi.useRealTimers();
  await portal?.close();
  portal = null;
});

async function expectExact(p: DemoPortal, db: Db): Promise<void> {
  const expected = expectedCopy(p.store);
  const actual = await actualCopy(db);
  expect(actual.activities).toEqual(expected.activities);
  expect(actual.items).toEqual(expected.items);
}

/** Every activity the copy held that is still open on the portal is still in the copy. */
async function expectNothingGoodDeleted(p: DemoPortal, db: Db, before: Set<number>): Promise<void> {
  const now = new Set((await db.getAllKeys('activities')).map(Number));
  for (const id of before) {
    const a = p.store.activities.get(id);
    if (a && !a.completed) expect(now.has(id), `activity ${id} lost`).toBe(true);
  }
}

/** Portal changes made by people, which the faults (set for the extension) do not hit. */
const changes = async (p: DemoPortal, n: number, salt: number) => {
  const faults = p.faults.get();
  p.faults.clear();
  try {
    await changesUnfaulted(p, n, salt);
  } finally {
    p.faults.set(faults);
  }
};

const changesUnfaulted = async (p: DemoPortal, n: number, salt: number) => {
  for (let i = 0; i < n; i++) {
    const ops = ['create', 'complete', 'reassignDeal', 'closeDeal', 'rebind', 'unbind'] as const;
    const op = ops[(i + salt) % ops.length];
    await applyPortalChange(p, { op, pick: i * 37 + salt, userId: (i % 5) + 1, target: i * 11 + salt, deadlineDays: (i % 5) - 2, secondary: i % 2 ? i : null } as never);
  }
};

async function runUntilOk(engine: ReturnType<typeof testEngine>, tries = 40) {
  let last: unknown = null;
  for (let i = 0; i < tries; i++) {
    const outcome = await engine.run();
    if (outcome.ok && outcome.kind !== 'busy') return outcome;
    // Another (dead) worker's lease: wait for it to expire.
    if (outcome.ok) await new Promise((r) => setTimeout(r, 50));
    last = outcome;
  }
  throw new Error(`did not converge: ${JSON.stringify(last)}`);
}

describe('sync under faults', () => {
  it('converges through 503s, 500s, HTML pages and dropped connections, losing nothing meanwhile', async () => {
    portal = await startTestPortal({ seed: 21, openActivities: 300 });
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY, client: { retries: 1 } });
    portal.faults.set({ p503: 0.15, p500: 0.15, pHtml: 0.1, pDrop: 0.1 });
    const kinds = new Set<string>();
    let outcome = await engine.run();
    for (let i = 0; i < 60 && !(outcome.ok && outcome.kind !== 'busy' && outcome.full); i++) {
      if (!outcome.ok) kinds.add(outcome.error.kind);
      outcome = await engine.run();
    }
    expect((await loadSyncState(db)).fullSyncAt).not.toBeNull();
    await expectExact(portal, db);
    // Polls under the same faults, with changes on the portal.
    for (let round = 0; round < 8; round++) {
      const before = new Set((await db.getAllKeys('activities')).map(Number));
      await changes(portal, 5, round);
      const o = await engine.run();
      if (!o.ok) kinds.add(o.error.kind);
      await expectNothingGoodDeleted(portal, db, before);
    }
    expect(kinds.size).toBeGreaterThan(0);
    portal.faults.clear();
    await runUntilOk(engine);
    await expectExact(portal, db);
    expect(await getMeta(db, 'error')).toBeNull();
  });

  it('a revoked webhook mid-sync stops with a clear error, keeps the data, and recovers', async () => {
    portal = await startTestPortal({ seed: 22, openActivities: 300 });
    const p = portal;
    const db = await openCountersDb();
    let requests = 0;
    const engine = testEngine(p, db, {
      reconcileMs: Number.POSITIVE_INFINITY,
      client: {
        fetch: async (input, init) => {
          if (++requests === 4) p.faults.set({ revoked: true });
          return fetch(input, init);
        },
      },
    });
    const failed = await engine.run();
    expect(failed).toMatchObject({ ok: false, action: 'stop', error: { kind: 'badCredentials' } });
    expect(JSON.stringify(failed)).not.toContain('k3y4demo8counter');
    expect(await db.count('activities')).toBe(0);
    expect(await getMeta(db, 'fullSync')).not.toBeNull();
    p.faults.clear();
    await runUntilOk(engine);
    await expectExact(p, db);
    // Revoked again during polls: the copy stays as it was.
    const copy = await actualCopy(db);
    p.faults.set({ revoked: true });
    await changes(p, 4, 3);
    expect(await engine.run()).toMatchObject({ ok: false, error: { kind: 'badCredentials' } });
    expect(await actualCopy(db)).toEqual(copy);
    const since = (await getMeta(db, 'error'))?.since;
    expect(await engine.run()).toMatchObject({ ok: false });
    expect((await getMeta(db, 'error'))?.since).toBe(since);
    p.faults.clear();
    await runUntilOk(engine);
    await expectExact(p, db);
    // The crm scope taken away: stop, name the scope, keep the copy.
    const kept = await actualCopy(db);
    p.faults.set({ noCrmScope: true });
    expect(await engine.run()).toMatchObject({ ok: false, action: 'stop', error: { kind: 'missingScope' } });
    expect(await actualCopy(db)).toEqual(kept);
    p.faults.clear();
    await runUntilOk(engine);
    await expectExact(p, db);
  });

  it('times out on a stalled portal, then converges', async () => {
    portal = await startTestPortal({ seed: 23, openActivities: 200 });
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY, client: { timeoutMs: 150, retries: 1 } });
    await runUntilOk(engine);
    portal.faults.set({ stallMs: 400 });
    await changes(portal, 4, 1);
    expect(await engine.run()).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    portal.faults.clear();
    await runUntilOk(engine);
    await expectExact(portal, db);
  });

  it('waits out the rate limit (portal bucket on and smaller than the client one)', async () => {
    portal = await startTestPortal({ seed: 24, openActivities: 300, rateLimit: { enabled: true, capacity: 6, drainPerSecond: 20 } });
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY, client: { bucket: STANDARD_BUCKET } });
    await runUntilOk(engine);
    expect(portal.stats.requests).toBeGreaterThan(6);
    await expectExact(portal, db);
    await changes(portal, 6, 2);
    await runUntilOk(engine);
    await expectExact(portal, db);
  });

  it('keeps the copy while the portal is down, then converges', async () => {
    portal = await startTestPortal({ seed: 26, openActivities: 200 });
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY });
    await runUntilOk(engine);
    await changes(portal, 3, 2);
    const copy = await actualCopy(db);
    portal.faults.set({ downForMs: 400 });
    await new Promise((r) => setTimeout(r, 20));
    expect(await engine.run()).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    expect(await actualCopy(db)).toEqual(copy);
    await new Promise((r) => setTimeout(r, 500));
    await runUntilOk(engine);
    await expectExact(portal, db);
  });

  it('429 OPERATION_TIME_LIMIT: waits until the method is usable again, then converges', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cost: Record<string, number> = { 'crm.activity.list': 1 };
    portal = await startTestPortal({ seed: 25, openActivities: 300, operatingLimit: { enabled: true, limitSeconds: 10, costSeconds: cost } });
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY, client: { maxWaitMs: 100 } });
    const blocked = await engine.run();
    expect(blocked).toMatchObject({ ok: false, action: 'wait', error: { kind: 'timeLimit' } });
    cost['crm.activity.list'] = 0;
    vi.setSystemTime(Date.now() + 11 * 60_000);
    await runUntilOk(engine);
    await expectExact(portal, db);
  });
});

describe('a worker killed between two batches', () => {
  /** The client's fetch hangs forever from request `at` on: the worker is gone. */
  const died = { at: 0 };
  const dying = (at: number) => {
    let n = 0;
    return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      if (++n >= at) {
        died.at = Date.now();
        return new Promise<Response>(() => {});
      }
      return fetch(input, init);
    };
  };

  for (const at of [2, 3, 4, 5, 6]) {
    it(`resumes from the persisted cursor (killed at request ${at} of a first sync and a later poll)`, async () => {
      portal = await startTestPortal({ seed: 30 + at, openActivities: 600 });
      const db = await openCountersDb();
      const dead = testEngine(portal, db, { leaseMs: 1500, client: { fetch: dying(at) } });
      died.at = 0;
      void dead.run();
      await vi.waitFor(() => expect(died.at).toBeGreaterThan(0), { timeout: 5000, interval: 5 });
      expect(portal.stats.requests).toBe(at - 1);
      const fresh = testEngine(portal, await openCountersDb(), { leaseMs: 100, reconcileMs: Number.POSITIVE_INFINITY });
      expect(await fresh.run()).toMatchObject({ ok: true, kind: 'busy' });
      // The dead worker's lease expires: a fresh one takes over.
      await new Promise((r) => setTimeout(r, died.at + 1520 - Date.now()));
      portal.stats.reset();
      const resumed = await fresh.run();
      expect(resumed).toMatchObject({ ok: true, kind: 'resume' });
      // Resuming costs no more than what was left.
      expect(portal.stats.requests).toBeLessThanOrEqual(12 - at + 3);
      await expectExact(portal, db);

      // Killed in the middle of a poll with follow-up rounds: old cursors, nothing half-applied.
      await changes(portal, 12, at);
      // An open deal changing hands makes the poll take a second request.
      const deal = [...portal.store.deals.values()].find((d) => d.stageId === 'NEW')!;
      await portalCall(portal, 'crm.deal.update', { id: deal.id, fields: { ASSIGNED_BY_ID: deal.assignedById === 2 ? 3 : 2 } });
      const before = await actualCopy(db);
      const dying2 = testEngine(portal, db, { leaseMs: 100, reconcileMs: Number.POSITIVE_INFINITY, client: { fetch: dying(2) } });
      void dying2.run();
      await new Promise((r) => setTimeout(r, 150));
      expect(await actualCopy(db)).toEqual(before);
      await runUntilOk(fresh);
      await expectExact(portal, db);
    });
  }
});
