// crm.counter.list on the demo portal, over real HTTP: off unless switched
// on; codes, (item, activity) rows of open items, light time with reminder
// offsets, the portal's counter mode, `_excl` capped at 100, `[]` for a type
// with counters off, ACCESS_DENIED per type and pipeline, the previous
// generation's codes, and one lagging answer.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REP_SECRET, REP_USER_ID } from './config.ts';
import { defaultCounterList } from './counter-list.ts';
import { type DemoPortal, startPortal } from './server.ts';
import { type DemoActivity, type DemoDeal, insertActivity, type ItemRef, removeActivity, semanticOf } from './store.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read loosely shaped JSON answers
type Json = Record<string, any>;

// Wednesday 2026-05-13 10:00 in Berlin.
const T0 = Date.UTC(2026, 4, 13, 8, 0, 0);
const MIN = 60_000;

describe('demo portal: crm.counter.list', () => {
  let portal: DemoPortal;
  let nextId = 900_000;

  beforeEach(async () => {
    portal = await startPortal({ port: 0, seed: 1, now: () => T0, rateLimit: { enabled: false }, quiet: true });
    // An empty CRM of activities: each test adds the ones it counts.
    for (const a of [...portal.store.activities.values()]) removeActivity(portal.store, a);
  });
  afterEach(async () => {
    await portal.close();
  });

  async function call(method: string, params: Json = {}, url = portal.webhookUrl): Promise<{ status: number; body: Json }> {
    const res = await fetch(url + method, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) });
    return { status: res.status, body: JSON.parse(await res.text()) };
  }
  const switchOn = (patch: Partial<ReturnType<typeof defaultCounterList>> = {}) => {
    portal.store.counterList = { ...defaultCounterList(), enabled: true, ...patch };
  };
  const openDeals = (userId: number, categoryId = 0): DemoDeal[] =>
    [...portal.store.deals.values()].filter((d) => d.assignedById === userId && d.categoryId === categoryId && !d.isRecurring && semanticOf(portal.store, d.stageId) === 'P');
  const closedDeal = (): DemoDeal => [...portal.store.deals.values()].find((d) => semanticOf(portal.store, d.stageId) !== 'P')!;
  function add(bindings: ItemRef[], patch: Partial<DemoActivity> = {}): DemoActivity {
    const id = nextId++;
    const a: DemoActivity = {
      id,
      ownerTypeId: bindings[0].entityTypeId,
      ownerId: bindings[0].entityId,
      bindings,
      typeId: 6,
      providerId: 'CRM_TODO',
      providerTypeId: 'TODO',
      direction: 2,
      completed: false,
      status: 1,
      subject: `a${id}`,
      description: '',
      priority: 2,
      responsibleId: 1,
      authorId: 1,
      created: T0 - 86_400_000,
      startTime: null,
      endTime: null,
      deadline: null,
      notifyType: 0,
      notifyValue: 0,
      lastUpdated: T0 - 86_400_000,
      settings: {},
      isIncomingChannel: false,
      ...patch,
    };
    insertActivity(portal.store, a);
    return a;
  }
  const deal = (d: DemoDeal): ItemRef => ({ entityTypeId: 2, entityId: d.id });

  it('is off unless switched on: ERROR_METHOD_NOT_FOUND, as on a portal without the controller', async () => {
    const r = await call('crm.counter.list', { entityTypeId: 2 });
    expect(r.body.error).toBe('ERROR_METHOD_NOT_FOUND');
  });

  it('answers the calling user\'s codes for the type, and the portal total', async () => {
    switchOn();
    const r = await call('crm.counter.list', { entityTypeId: 2 });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.result).sort()).toEqual(['crm_all_no_orders', 'crm_deal_all', 'crm_deal_current', 'crm_deal_incomingchannel']);
    const lead = await call('crm.counter.list', { entityTypeId: 1, withExcludeUsers: 1 });
    expect(Object.keys(lead.body.result).sort()).toEqual([
      'crm_all_no_orders',
      'crm_lead_all',
      'crm_lead_all_excl',
      'crm_lead_current',
      'crm_lead_current_excl',
      'crm_lead_incomingchannel',
      'crm_lead_incomingchannel_excl',
    ]);
    const pipeline = await call('crm.counter.list', { entityTypeId: 2, extras: { CATEGORY_ID: 1 } });
    expect(Object.keys(pipeline.body.result).sort()).toEqual(['crm_all_no_orders', 'crm_deal_all', 'crm_deal_c1_all', 'crm_deal_c1_current', 'crm_deal_c1_incomingchannel']);
  });

  it('counts (item, activity) rows of open items by light time, reminders first, then NOTIFY, else 15 minutes', async () => {
    switchOn();
    const [d1, d2] = openDeals(1);
    add([deal(d1)], { deadline: T0 + 10 * MIN, pingOffsets: [0, 15] }); // lit at 9:55
    add([deal(d1)], { deadline: T0 + 60 * MIN, pingOffsets: [0, 15] }); // lights at 10:45: not yet
    add([deal(d1)], { deadline: T0 + 50 * MIN, notifyType: 2, notifyValue: 1 }); // NOTIFY 1 hour: lit
    add([deal(d1)], { deadline: T0 + 14 * MIN }); // default 15 minutes: lit
    add([deal(d1)], { deadline: T0 - 3 * 86_400_000 }); // overdue: lit
    add([deal(d1), deal(d2)], { providerId: 'VOXIMPLANT_CALL', typeId: 2, direction: 1, isIncomingChannel: true }); // two rows
    add([deal(d1)], { deadline: T0 - MIN, completed: true }); // completed: nothing
    add([deal(closedDeal())], { deadline: T0 - MIN }); // closed item: nothing
    const r = await call('crm.counter.list', { entityTypeId: 2 });
    expect(r.body.result).toMatchObject({ crm_deal_incomingchannel: 2, crm_deal_current: 4, crm_deal_all: 6 });
  });

  it('follows the portal\'s counter mode: the activity\'s responsible under mode activity', async () => {
    const [other] = openDeals(2);
    add([deal(other)], { deadline: T0 - MIN, responsibleId: 1 });
    switchOn({ mode: 'item' });
    expect((await call('crm.counter.list', { entityTypeId: 2 })).body.result.crm_deal_current).toBe(0);
    switchOn({ mode: 'activity' });
    expect((await call('crm.counter.list', { entityTypeId: 2 })).body.result.crm_deal_current).toBe(1);
  });

  it('counts everyone else\'s items in `_excl`, capped at 100', async () => {
    switchOn();
    const [other] = openDeals(2);
    for (let i = 0; i < 120; i++) add([deal(other)], { deadline: T0 - MIN, responsibleId: 2 });
    const r = await call('crm.counter.list', { entityTypeId: 2, withExcludeUsers: 1 });
    expect(r.body.result).toMatchObject({ crm_deal_current: 0, crm_deal_current_excl: 100, crm_deal_all_excl: 100 });
  });

  it('answers [] for a type whose counters are off', async () => {
    switchOn({ disabledTypes: [3] });
    const r = await call('crm.counter.list', { entityTypeId: 3 });
    expect(r.status).toBe(200);
    expect(r.body.result).toEqual([]);
  });

  it('refuses a type, or a pipeline, the user may not read with ACCESS_DENIED; the type\'s total still answers', async () => {
    switchOn({ denied: { [REP_USER_ID]: { types: [1], dealCategories: [1] } } });
    const rep = portal.webhookUrl.replace(/\/rest\/1\/[^/]+\//, `/rest/${REP_USER_ID}/${REP_SECRET}/`);
    expect((await call('crm.counter.list', { entityTypeId: 1 }, rep)).body.error).toBe('ACCESS_DENIED');
    expect((await call('crm.counter.list', { entityTypeId: 2, extras: { CATEGORY_ID: 1 } }, rep)).body.error).toBe('ACCESS_DENIED');
    expect((await call('crm.counter.list', { entityTypeId: 2 }, rep)).body.result).toHaveProperty('crm_deal_current');
    // The administrator is not denied.
    expect((await call('crm.counter.list', { entityTypeId: 1 })).body.result).toHaveProperty('crm_lead_current');
    // In a batch, per command: the other commands answer.
    const batch = await call('batch', { halt: 0, cmd: { l: 'crm.counter.list?entityTypeId=1', d: 'crm.counter.list?entityTypeId=2' } }, rep);
    expect(batch.body.result.result_error.l.error).toBe('ACCESS_DENIED');
    expect(batch.body.result.result.d).toHaveProperty('crm_deal_incomingchannel');
  });

  it('answers in the previous generation\'s codes when set so: no incomingchannel, current by day', async () => {
    switchOn({ generation: 'previous' });
    const [d1] = openDeals(1);
    add([deal(d1)], { deadline: T0 + 8 * 60 * MIN }); // today 18:00 Berlin: pending
    add([deal(d1)], { deadline: T0 - 2 * 86_400_000 }); // overdue
    const r = await call('crm.counter.list', { entityTypeId: 2 });
    expect(r.body.result).not.toHaveProperty('crm_deal_incomingchannel');
    expect(r.body.result).toMatchObject({ crm_deal_pending: 1, crm_deal_overdue: 1, crm_deal_current: 2 });
    expect(r.body.result).toHaveProperty('crm_deal_idle');
  });

  it('lags a change once when asked: the next answer for that type is the one before, then fresh', async () => {
    switchOn();
    const [d1] = openDeals(1);
    expect((await call('crm.counter.list', { entityTypeId: 2 })).body.result.crm_deal_current).toBe(0);
    add([deal(d1)], { deadline: T0 - MIN });
    portal.store.counterList!.lagOnce = [2];
    expect((await call('crm.counter.list', { entityTypeId: 2 })).body.result.crm_deal_current).toBe(0);
    expect((await call('crm.counter.list', { entityTypeId: 2 })).body.result.crm_deal_current).toBe(1);
  });

  it('rejects an entity type id that is not an int as the controller\'s binder does', async () => {
    switchOn();
    expect((await call('crm.counter.list', { entityTypeId: [2] })).body.error).toBe(100);
  });
});
