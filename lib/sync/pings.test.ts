import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPortal } from '../../demo/server';
import { startTestPortal } from '../../tests/unit/sync-harness';
import { type BitrixClient, createClient } from '../bitrix/client';
import { parseWebhookUrl } from '../bitrix/webhook';
import { makeActivity } from '../counters/testing';
import type { CrmActivity } from '../domain';
import { narrowPingOffsets, pingBatches, pingCandidates, readPingOffsets } from './pings';

const NOW = Date.UTC(2026, 4, 13, 8, 0, 0);
const HOUR = 3_600_000;

describe('which to-dos need their reminders read', () => {
  const todo = (fields: Partial<CrmActivity>) => makeActivity({ id: 7, deadline: NOW + HOUR, lastUpdated: 100, ...fields });
  it.each<[string, Partial<CrmActivity>, Map<number, number>, boolean]>([
    ['an open to-do due later', {}, new Map(), true],
    ['read at an older LAST_UPDATED', {}, new Map([[7, 50]]), true],
    ['read at this LAST_UPDATED', {}, new Map([[7, 100]]), false],
    ['completed', { completed: true }, new Map(), false],
    ['deadline passed: lit whatever the offset', { deadline: NOW - 1 }, new Map(), false],
    ['deadline now', { deadline: NOW }, new Map(), false],
    ['no deadline', { deadline: null }, new Map(), false],
    ['a call (fetchSettings loads to-dos only)', { providerId: 'VOXIMPLANT_CALL', typeId: 2 }, new Map(), false],
    ['no owner', { ownerTypeId: 0, ownerId: 0 }, new Map(), false],
  ])('%s → %s', (_, fields, readAt, expected) => {
    expect(pingCandidates([todo(fields)], readAt, NOW).length > 0).toBe(expected);
  });

  it('batches of at most batchLimit commands, keyed by activity', () => {
    const todos = Array.from({ length: 101 }, (_, i) => makeActivity({ id: i + 1, ownerTypeId: 2, ownerId: 9 }));
    const batches = pingBatches(todos, 49);
    expect(batches.map((b) => b.size)).toEqual([49, 49, 3]);
    expect(batches[2].get('p101')).toEqual({ method: 'crm.activity.todo.fetchSettings', params: { ownerTypeId: 2, ownerId: 9, id: 101 } });
  });
});

describe('narrowing entityData.pingOffsets', () => {
  it.each<[string, unknown, number[] | null]>([
    ['a list', { entityData: { pingOffsets: [0, 15] } }, [0, 15]],
    ['numbers as text, repeats, negatives, junk', { entityData: { pingOffsets: ['60', 60, -1, 'x', 1.5, null] } }, [60]],
    ['an object (PHP array with keys)', { entityData: { pingOffsets: { 0: 0, 3: 1440 } } }, [0, 1440]],
    ['empty: none', { entityData: { pingOffsets: [] } }, []],
    ['no list', { entityData: {} }, null],
    ['no entityData', { id: 1 }, null],
    ['not an object', null, null],
  ])('%s', (_, answer, expected) => {
    expect(narrowPingOffsets(answer)).toEqual(expected);
  });
});

describe('reading them from the demo portal', () => {
  let portal: DemoPortal;
  let client: BitrixClient;
  let requests = 0;
  beforeAll(async () => {
    portal = await startTestPortal({ seed: 1, now: () => NOW });
    const parsed = parseWebhookUrl(portal.webhookUrl);
    if (!parsed.ok) throw new Error('bad demo webhook');
    const inner = createClient({ webhook: parsed.webhook, retries: 0, bucket: { capacity: 1_000_000, drainPerSecond: 1_000_000 } });
    client = {
      get origin() {
        return inner.origin;
      },
      get auth() {
        return inner.auth;
      },
      get batchLimit() {
        return inner.batchLimit;
      },
      get waitedMs() {
        return inner.waitedMs;
      },
      redact: (t) => inner.redact(t),
      call: (method, params) => {
        requests++;
        return inner.call(method, params);
      },
    };
  });
  afterAll(async () => {
    await portal.close();
  });

  const asCrm = (id: number): CrmActivity => {
    const a = portal.store.activities.get(id)!;
    return makeActivity({ id: a.id, ownerTypeId: a.ownerTypeId, ownerId: a.ownerId, providerId: a.providerId, deadline: a.deadline });
  };

  it('reads seeded and given reminders, 50 to-dos a request; a failing command leaves its activity out', async () => {
    const given: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await client.call<{ id: number }>('crm.activity.todo.add', { ownerTypeId: 2, ownerId: 1, deadline: '2026-05-14T10:00:00+02:00', pingOffsets: [0, i] });
      given.push(r.result.id);
    }
    const seeded = [...portal.store.activities.values()].find((a) => a.providerId === 'CRM_TODO' && a.id < given[0])!.id;
    const aCall = [...portal.store.activities.values()].find((a) => a.providerId === 'VOXIMPLANT_CALL')!;
    const todos = [...given.map(asCrm), asCrm(seeded), { ...asCrm(aCall.id), providerId: 'CRM_TODO' }];
    requests = 0;
    const read = await readPingOffsets(client, todos);
    expect(requests).toBe(2);
    expect(given.map((id) => read.get(id))).toEqual(given.map((_, i) => (i === 0 ? [0] : [0, i])));
    expect(read.get(seeded)).toEqual([0, 15]);
    expect(read.has(aCall.id)).toBe(false);
  });
});
