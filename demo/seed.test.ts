// Seed data: deterministic, the worked examples exact, big sizes fast.

import { describe, expect, it } from 'vitest';
import { generateStore } from './seed.ts';

// Wednesday 2026-05-13 10:00 in Berlin.
const T0 = Date.UTC(2026, 4, 13, 8, 0, 0);

describe('demo portal seed', () => {
  it('is deterministic for a seed and a clock', () => {
    const a = generateStore({ seed: 7, now: T0, openActivities: 300 });
    const b = generateStore({ seed: 7, now: T0, openActivities: 300 });
    const c = generateStore({ seed: 8, now: T0, openActivities: 300 });
    const dump = (s: typeof a) => JSON.stringify({ a: [...s.activities.values()], d: [...s.deals.values()], c: [...s.contacts.values()] });
    expect(dump(a)).toBe(dump(b));
    expect(dump(a)).not.toBe(dump(c));
  });

  it('makes the requested number of open activities with every kind present', () => {
    const s = generateStore({ seed: 1, now: T0, openActivities: 300 });
    const open = [...s.activities.values()].filter((a) => !a.completed);
    expect(open).toHaveLength(300);
    const providers = new Set(open.map((a) => a.providerId));
    for (const p of ['CRM_TODO', 'VOXIMPLANT_CALL', 'IMOPENLINES_SESSION', 'CRM_EMAIL', 'CRM_MEETING']) expect(providers).toContain(p);
    expect(open.some((a) => a.settings.MISSED_CALL === true)).toBe(true);
    expect(open.some((a) => a.deadline === null)).toBe(true);
    expect(open.some((a) => a.bindings.length > 1)).toBe(true);
    const mine = open.filter((a) => s.deals.get(a.ownerId)?.assignedById === 1 && a.ownerTypeId === 2);
    expect(mine.some((a) => a.isIncomingChannel)).toBe(true);
    expect(mine.some((a) => a.deadline !== null && a.deadline < T0 - 86_400_000)).toBe(true);
    expect([...s.deals.values()].filter((d) => d.isRecurring)).toHaveLength(2);
    expect([...s.companies.values()].filter((c) => c.isMyCompany)).toHaveLength(1);
    expect([...s.users.values()].filter((u) => !u.active)).toHaveLength(1);
  });

  it('keeps the worked examples of docs/counters.md on deals 1 to 12', () => {
    const s = generateStore({ seed: 5, now: T0, openActivities: 1000 });
    const on = (dealId: number) => [...(s.bindingIndex.get(`2:${dealId}`) ?? [])];
    const open = (dealId: number) => on(dealId).filter((a) => !a.completed);
    expect(open(1).map((a) => [a.providerId, a.deadline])).toEqual([['CRM_TODO', Date.UTC(2026, 4, 13, 16, 0)]]);
    expect(open(2).filter((a) => a.deadline !== null && a.deadline < Date.UTC(2026, 4, 12, 22))).toHaveLength(3);
    expect(open(3).map((a) => [a.providerId, a.isIncomingChannel])).toEqual([['CRM_EMAIL', true]]);
    expect(open(4).map((a) => a.providerId).sort()).toEqual(['IMOPENLINES_SESSION', 'VOXIMPLANT_CALL']);
    expect(s.deals.get(5)!.assignedById).toBe(2);
    expect(open(5).map((a) => a.responsibleId)).toEqual([1]);
    expect(open(6)[0]).toBe(open(7)[0]);
    expect(s.deals.get(8)!.stageId).toBe('WON');
    expect(open(10)).toHaveLength(0);
    expect(on(10)).toHaveLength(1);
    expect(open(11).some((a) => a.settings.MISSED_CALL === true)).toBe(true);
    expect(s.deals.get(12)!.assignedById).toBe(3);
  });

  it('generates 100,000 open activities within a few seconds', () => {
    const t = performance.now();
    const s = generateStore({ seed: 1, now: T0, openActivities: 100_000 });
    const ms = performance.now() - t;
    expect([...s.activities.values()].filter((a) => !a.completed)).toHaveLength(100_000);
    expect(s.users.size).toBe(200);
    expect(s.deals.size + s.leads.size + s.contacts.size + s.companies.size).toBeGreaterThan(18_000);
    expect(ms).toBeLessThan(10_000);
  });
});
