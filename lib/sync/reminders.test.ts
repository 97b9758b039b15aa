// Reminder offsets wired into the sync (reminders.ts), against the demo portal over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPortal } from '../../demo/server';
import { openCountersDb, portalCall, startTestPortal, testEngine } from '../../tests/unit/sync-harness';
import { countingRules, litKey } from '../counters';
import { makeActivity } from '../counters/testing';
import type { Db } from '../store/db';
import { getMeta } from '../store/sync-store';
import type { SyncEngine } from './engine';
import { dueForRead, type Known, REMINDER_WINDOW_MS, withKnownOffsets } from './reminders';

const HOUR = 3_600_000;
const fetchSettings = (portal: DemoPortal) =>
  Object.entries(portal.stats.commands)
    .filter(([m]) => m.toLowerCase() === 'crm.activity.todo.fetchsettings')
    .reduce((n, [, c]) => n + c, 0);
const portalTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

describe('which to-dos are read, and what is put back', () => {
  const NOW = Date.UTC(2026, 4, 13, 8);
  it.each<[string, number | null, boolean]>([
    ['due in an hour', NOW + HOUR, true],
    ['due at the window’s end', NOW + REMINDER_WINDOW_MS, true],
    ['due after the window: read when it enters', NOW + REMINDER_WINDOW_MS + 1, false],
    ['deadline passed: lit anyway', NOW - 1, false],
  ])('%s → %s', (_, deadline, expected) => {
    expect(dueForRead([makeActivity({ id: 7, deadline })], new Map(), NOW).length > 0).toBe(expected);
  });

  it('one read within its LAST_UPDATED second is read again; its offsets still go back meanwhile', () => {
    const known = new Map<number, Known>([[7, { lastUpdated: 100, offsets: [0, 60], unsettled: true }]]);
    expect(dueForRead([makeActivity({ id: 7, deadline: NOW + HOUR, lastUpdated: 100 })], known, NOW)).toHaveLength(1);
    expect(withKnownOffsets(makeActivity({ id: 7, lastUpdated: 100 }), known).pingOffsets).toEqual([0, 60]);
  });

  it('offsets go back while LAST_UPDATED holds, not after', () => {
    const known = new Map<number, Known>([[7, { lastUpdated: 100, offsets: [0, 60] }]]);
    expect(withKnownOffsets(makeActivity({ id: 7, lastUpdated: 100 }), known).pingOffsets).toEqual([0, 60]);
    expect(withKnownOffsets(makeActivity({ id: 7, lastUpdated: 101 }), known).pingOffsets).toBeUndefined();
    const none = new Map<number, Known>([[7, { lastUpdated: 100, offsets: null }]]);
    expect('pingOffsets' in withKnownOffsets(makeActivity({ id: 7, lastUpdated: 100, pingOffsets: [5] }), none)).toBe(false);
  });
});

describe('under rule light time', () => {
  let portal: DemoPortal;
  let db: Db;
  let engine: SyncEngine;
  let todo: number;
  let deadline: number;
  let firstFetches = 0;

  beforeAll(async () => {
    portal = await startTestPortal({ seed: 12, openActivities: 300 });
    deadline = Math.floor((Date.now() + 3 * HOUR) / 1000) * 1000;
    todo = ((await portalCall(portal, 'crm.activity.todo.add', { ownerTypeId: 2, ownerId: 1, deadline: portalTime(deadline), pingOffsets: [0, 60], responsibleId: 1 })) as { id: number }).id;
    db = await openCountersDb();
    engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY, readReminders: true });
    portal.stats.reset();
    expect(await engine.run()).toMatchObject({ ok: true, kind: 'first' });
    firstFetches = fetchSettings(portal);
  });
  afterAll(() => portal.close());

  it('the first sync reads the to-dos due within the window, and a to-do with reminders [0, 60] lights 60 min before its deadline', async () => {
    const stored = (await db.get('activities', todo))!;
    expect(stored.pingOffsets).toEqual([0, 60]);
    const rules = countingRules({ litRule: 'lightTime' }, []);
    expect(litKey(stored, rules)).toBe(deadline - HOUR);
    const now = Date.now();
    const due = [...portal.store.activities.values()].filter(
      (a) => !a.completed && a.providerId === 'CRM_TODO' && a.deadline !== null && a.deadline > now && a.deadline <= now + REMINDER_WINDOW_MS,
    );
    console.log(`first sync under light time: ${firstFetches} to-dos read of ${(await db.count('activities'))} open activities`);
    expect(firstFetches).toBeGreaterThanOrEqual(1);
    expect(firstFetches).toBeLessThanOrEqual(due.length);
  });

  it('an idle poll stays one request', async () => {
    // Read within the to-do's LAST_UPDATED second (the first sync came right after it was added): read again once, then never.
    await new Promise((r) => setTimeout(r, 1100));
    await engine.run();
    portal.stats.reset();
    expect(await engine.run()).toMatchObject({ ok: true, kind: 'poll', change: null });
    expect(portal.stats.requests).toBe(1);
  });

  it('a changed to-do is re-read, in one more request; an unchanged one is not', async () => {
    const quiet = [...portal.store.activities.values()].find((a) => a.id !== todo && a.providerId === 'CRM_TODO' && !a.completed && a.pingOffsets)!;
    // LAST_UPDATED has whole seconds: the edit must fall in a later second than the read one.
    await new Promise((r) => setTimeout(r, 1100));
    quiet.pingOffsets = [0, 240];
    portal.store.activities.get(todo)!.pingOffsets = [0, 120];
    await portalCall(portal, 'crm.activity.update', { id: todo, fields: { SUBJECT: 'Reminders moved' } });
    portal.stats.reset();
    const outcome = await engine.run();
    expect(outcome.ok).toBe(true);
    expect(portal.stats.requests).toBe(2);
    expect(fetchSettings(portal)).toBe(1);
    expect((await db.get('activities', todo))!.pingOffsets).toEqual([0, 120]);
    expect(outcome.ok && outcome.change?.upsertActivities.find((a) => a.id === todo)?.pingOffsets).toEqual([0, 120]);
    expect((await db.get('activities', quiet.id))!.pingOffsets).not.toEqual([0, 240]);
  });

  it('offsets survive a poll that re-lists the activity and a reconciliation that restages it, with no request for them', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    await portalCall(portal, 'crm.activity.update', { id: todo, fields: { SUBJECT: 'Edited again' } });
    portal.store.activities.get(todo)!.pingOffsets = [0, 90];
    await new Promise((r) => setTimeout(r, 1100));
    await engine.run();
    portal.stats.reset();
    // The cursor's overlap brings the same row again, without offsets.
    await engine.run();
    expect(fetchSettings(portal)).toBe(0);
    expect((await db.get('activities', todo))!.pingOffsets).toEqual([0, 90]);
    portal.stats.reset();
    expect(await engine.run({ forceReconcile: true })).toMatchObject({ ok: true, kind: 'reconcile' });
    expect(fetchSettings(portal)).toBe(0);
    expect((await db.get('activities', todo))!.pingOffsets).toEqual([0, 90]);
    const memory = (await getMeta(db, 'reminders'))!;
    const open = new Set(await db.getAllKeys('activities'));
    expect(memory.read.every(([id]) => open.has(id))).toBe(true);
  });
});

describe('under rule day', () => {
  it('no fetchSettings is sent, first sync or poll', async () => {
    const portal = await startTestPortal({ seed: 12, openActivities: 300 });
    try {
      const db = await openCountersDb();
      const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY });
      expect((await engine.run()).ok).toBe(true);
      await portalCall(portal, 'crm.activity.todo.add', { ownerTypeId: 2, ownerId: 1, deadline: portalTime(Date.now() + HOUR), pingOffsets: [60] });
      expect((await engine.run()).ok).toBe(true);
      expect(fetchSettings(portal)).toBe(0);
      expect((await db.getAll('activities')).some((a) => a.pingOffsets)).toBe(false);
    } finally {
      await portal.close();
    }
  });
});
