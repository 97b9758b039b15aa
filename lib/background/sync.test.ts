// The browser wiring against the real demo portal: Connect starts the first
// sync, the state API and the badge follow it, Disconnect stops everything.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DemoPortal } from '../../demo/server';
import { getDb } from '../store/db';
import { actualCopy, expectedCopy, portalCall, startTestPortal } from '../../tests/unit/sync-harness';
import { currentBadgeInput } from './badge';
import { connect, disconnect } from './connection';
import { getCounterIndex, getPeople, getPortalOffsetMinutes, getSyncStatus, onDataChanged, setupSync, syncNow } from './sync';

let portal: DemoPortal;
beforeAll(async () => {
  portal = await startTestPortal({ seed: 50, openActivities: 300 });
});
afterAll(() => portal.close());

describe('background sync', () => {
  it('connect → first sync → ready; popup sync is debounced and skipped when fresh; failures keep the numbers; disconnect stops', async () => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
    setupSync();
    const events: number[] = [];
    const kinds: boolean[] = [];
    const off = onDataChanged((what) => {
      events.push(Date.now());
      kinds.push(what.data);
    });
    expect((await getSyncStatus()).phase).toBe('notConnected');
    expect(await getCounterIndex()).toBeNull();

    const result = await connect(portal.webhookUrl);
    expect(result.ok).toBe(true);
    await vi.waitFor(async () => expect((await getSyncStatus()).phase).toBe('ready'), { timeout: 10_000, interval: 50 });
    const status = await getSyncStatus();
    expect(status).toMatchObject({ error: null, stale: false });
    expect(status.lastSyncAt).toBeGreaterThan(0);
    expect(events.length).toBeGreaterThan(0);

    const db = await getDb();
    const expected = expectedCopy(portal.store);
    expect((await actualCopy(db)).activities).toEqual(expected.activities);
    expect(await getPortalOffsetMinutes()).toBe(180);
    expect((await getPeople()).length).toBeGreaterThan(0);

    const index = await getCounterIndex();
    expect(index).not.toBeNull();
    const totals = index!.totals(1, Date.now());
    expect(await currentBadgeInput()).toMatchObject({ kind: 'synced', incoming: totals.incoming, planned: totals.planned });
    expect(await fakeBrowser.alarms.get('sync-poll')).toBeDefined();
    // Armed when the run has ended (after the check against the portal's counters is settled), a moment after `ready`.
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get('counters-wake')).toBeDefined(), { timeout: 5_000, interval: 50 });

    // The popup opens twice within the debounce: one run; data is fresh, so no request at all.
    portal.stats.reset();
    await Promise.all([syncNow('popup'), syncNow('popup')]);
    expect(portal.stats.requests).toBe(0);
    // An idle poll changes the status line only: pages are not asked to fetch their chips again.
    kinds.length = 0;
    await syncNow('manual');
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.every((data) => !data)).toBe(true);
    // A forced sync: one idle poll, one request. A change applied by it reaches the index.
    const open = [...portal.store.activities.values()].find((a) => !a.completed && a.ownerTypeId === 2 && a.responsibleId === 1)!;
    await portalCall(portal, 'crm.activity.update', { id: open.id, fields: { COMPLETED: 'Y' } });
    portal.stats.reset();
    await syncNow('manual');
    expect(portal.stats.requests).toBe(1);
    expect(await db.get('activities', open.id)).toBeUndefined();
    expect(kinds.at(-1)).toBe(true);

    // Failing with data known: last good numbers, the reason, and since when.
    portal.faults.set({ revoked: true });
    await syncNow('manual');
    const failing = await getSyncStatus();
    expect(failing).toMatchObject({ phase: 'failing', stale: true, error: { kind: 'badCredentials' } });
    expect(JSON.stringify(failing)).not.toContain('k3y4demo8counter');
    expect(await currentBadgeInput()).toMatchObject({ kind: 'failing', reason: 'problemBadCredentials', counts: { incoming: expect.any(Number) } });
    expect(await db.count('activities')).toBe(expected.activities.length - 1);
    portal.faults.clear();
    await syncNow('manual');
    expect((await getSyncStatus()).phase).toBe('ready');

    await disconnect(null);
    expect((await getSyncStatus()).phase).toBe('notConnected');
    expect(await getCounterIndex()).toBeNull();
    expect(await db.count('activities')).toBe(0);
    expect(await fakeBrowser.alarms.get('sync-poll')).toBeUndefined();

    // Disconnect during a slow first sync: it stops after the request in flight and writes nothing after the erase.
    portal.faults.set({ latencyMs: 150 });
    expect((await connect(portal.webhookUrl)).ok).toBe(true);
    await vi.waitFor(async () => expect((await getSyncStatus()).progress?.stage).toMatch(/items|activities|bindings/), { timeout: 10_000, interval: 20 });
    const t0 = Date.now();
    await disconnect(null);
    expect(Date.now() - t0).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 400));
    expect(await db.count('stagedActivities')).toBe(0);
    expect(await db.count('activities')).toBe(0);
    expect(await db.get('meta', 'fullSync')).toBeUndefined();
    expect((await getSyncStatus()).phase).toBe('notConnected');
    portal.faults.clear();
    off();
  });
});
