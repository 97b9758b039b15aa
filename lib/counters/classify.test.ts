import { describe, expect, it } from 'vitest';
import type { CrmActivity, CrmItem } from '../domain';
import {
  activityItems,
  classifyActivity,
  isCountedItem,
  isIncoming,
  isOpenItem,
  lightOffsetMs,
  litKey,
} from './classify';
import { type ChipCounts, type ChipState, chipFromCounts, chipLabel } from './results';
import { countingRules, resolveZone } from './rules';
import { makeActivity, makeItem, makePerson } from './testing';
import { dayWindow } from './time';

describe('isIncoming', () => {
  it.each<[string, Partial<CrmActivity>, boolean]>([
    ['flag Y', { isIncomingChannel: true, typeId: 6, providerId: 'CRM_TODO' }, true],
    ['flag N beats the fallback', { isIncomingChannel: false, typeId: 2, direction: 1 }, false],
    ['no flag: incoming call', { isIncomingChannel: null, typeId: 2, providerId: 'VOXIMPLANT_CALL', direction: 1 }, true],
    ['no flag: call by provider', { isIncomingChannel: null, typeId: 6, providerId: 'VOXIMPLANT_CALL', direction: 1 }, true],
    ['no flag: outgoing call', { isIncomingChannel: null, typeId: 2, providerId: 'VOXIMPLANT_CALL', direction: 2 }, false],
    ['no flag: incoming e-mail', { isIncomingChannel: null, typeId: 4, providerId: 'CRM_EMAIL', direction: 1 }, true],
    ['no flag: e-mail by provider', { isIncomingChannel: null, typeId: 6, providerId: 'CRM_EMAIL', direction: 1 }, true],
    ['no flag: outgoing e-mail', { isIncomingChannel: null, typeId: 4, providerId: 'CRM_EMAIL', direction: 2 }, false],
    ['no flag: open-channel chat', { isIncomingChannel: null, typeId: 6, providerId: 'IMOPENLINES_SESSION', direction: 0 }, true],
    ['no flag: incoming meeting', { isIncomingChannel: null, typeId: 1, providerId: 'CRM_MEETING', direction: 1 }, false],
    ['no flag: to-do', { isIncomingChannel: null, typeId: 6, providerId: 'CRM_TODO', direction: 0 }, false],
  ])('%s', (_, fields, expected) => {
    expect(isIncoming(makeActivity({ id: 1, ...fields }))).toBe(expected);
  });
});

describe('light time', () => {
  const rules = countingRules({ litRule: 'lightTime' });
  it.each<[number, number, number]>([
    [0, 0, 15 * 60_000],
    [1, 30, 30 * 60_000],
    [2, 2, 2 * 3_600_000],
    [3, 1, 86_400_000],
    [1, 0, 0],
    [9, 5, 15 * 60_000],
  ])('NOTIFY_TYPE %i, NOTIFY_VALUE %i → %i ms', (notifyType, notifyValue, expected) => {
    expect(lightOffsetMs(makeActivity({ id: 1, notifyType, notifyValue }), rules)).toBe(expected);
  });
  // The offsets of Bitrix24's CounterLightTime: the largest reminder wins over
  // NOTIFY, NOTIFY over the default; a negative NOTIFY falls to the default.
  it.each<[string, Partial<CrmActivity>, number]>([
    ['reminders 0 and 15 min', { pingOffsets: [0, 15] }, 15],
    ['reminders out of order', { pingOffsets: [60, 0, 1440, 30] }, 1440],
    ['one reminder at the deadline', { pingOffsets: [0] }, 0],
    ['reminders beat NOTIFY', { pingOffsets: [30], notifyType: 2, notifyValue: 3 }, 30],
    ['no reminders: NOTIFY', { pingOffsets: [], notifyType: 2, notifyValue: 3 }, 180],
    ['no reminders, no NOTIFY: the default', { pingOffsets: [] }, 15],
    ['negative reminders are skipped', { pingOffsets: [-5], notifyType: 1, notifyValue: 20 }, 20],
    ['negative NOTIFY: the default', { notifyType: 1, notifyValue: -10 }, 15],
  ])('%s → %i min', (_, fields, minutes) => {
    expect(lightOffsetMs(makeActivity({ id: 1, ...fields }), rules)).toBe(minutes * 60_000);
  });
  it('uses the configured default offset', () => {
    expect(lightOffsetMs(makeActivity({ id: 1 }), countingRules({ lightOffsetMinutes: 60 }))).toBe(3_600_000);
  });
  it('keys lit status on the deadline (day) or the light time', () => {
    const a = makeActivity({ id: 1, deadline: 1_000_000_000 });
    expect(litKey(a, countingRules())).toBe(1_000_000_000);
    expect(litKey(a, rules)).toBe(1_000_000_000 - 15 * 60_000);
    expect(litKey(makeActivity({ id: 2, deadline: null }), rules)).toBeNaN();
    expect(litKey(makeActivity({ id: 3, deadline: 5, isIncomingChannel: true }), rules)).toBeNaN();
  });
});

describe('open items', () => {
  it.each<[string, Partial<CrmItem> & Pick<CrmItem, 'entityTypeId' | 'id'>, boolean]>([
    ['deal in progress', { entityTypeId: 2, id: 1, stageSemantic: 'P' }, true],
    ['won deal', { entityTypeId: 2, id: 1, stageSemantic: 'S' }, false],
    ['lost deal', { entityTypeId: 2, id: 1, stageSemantic: 'F' }, false],
    ['recurring deal', { entityTypeId: 2, id: 1, stageSemantic: 'P', isRecurring: true }, false],
    ['lead in progress', { entityTypeId: 1, id: 1, stageSemantic: 'P' }, true],
    ['converted lead', { entityTypeId: 1, id: 1, stageSemantic: 'S' }, false],
    ['junk lead', { entityTypeId: 1, id: 1, stageSemantic: 'F' }, false],
    ['contact', { entityTypeId: 3, id: 1 }, true],
    ['company', { entityTypeId: 4, id: 1 }, true],
    ['my company', { entityTypeId: 4, id: 1, isMyCompany: true }, false],
    ['smart-process item in progress', { entityTypeId: 128, id: 1, stageSemantic: 'P' }, true],
    ['smart-process item done', { entityTypeId: 128, id: 1, stageSemantic: 'S' }, false],
  ])('%s', (_, fields, expected) => {
    expect(isOpenItem(makeItem(fields))).toBe(expected);
  });

  it('counts the classic types and the smart processes it is given', () => {
    const rules = countingRules({}, [128]);
    expect(rules.countedEntityTypes).toEqual([1, 2, 3, 4, 128]);
    expect(isCountedItem(makeItem({ entityTypeId: 128, id: 1 }), rules)).toBe(true);
    expect(isCountedItem(makeItem({ entityTypeId: 129, id: 1, stageSemantic: 'P' }), rules)).toBe(false);
    const narrow = countingRules({ countedEntityTypes: [2] });
    expect(isCountedItem(makeItem({ entityTypeId: 3, id: 1 }), narrow)).toBe(false);
  });

  it('binds an activity to each item once, owner included', () => {
    const a = makeActivity({
      id: 1,
      ownerTypeId: 2,
      ownerId: 5,
      bindings: [
        { entityTypeId: 3, entityId: 7 },
        { entityTypeId: 2, entityId: 5 },
        { entityTypeId: 3, entityId: 7 },
      ],
    });
    expect(activityItems(a)).toEqual([
      { entityTypeId: 2, entityId: 5 },
      { entityTypeId: 3, entityId: 7 },
    ]);
  });
});

describe('rules and zones', () => {
  const people = new Map([
    [1, makePerson(1, 'Asia/Tokyo')],
    [2, makePerson(2, null)],
    [3, makePerson(3, 'Not/AZone')],
  ]);
  it.each<[string, number, number | null, string | null, string]>([
    ["the person's profile", 1, 2, null, 'Asia/Tokyo'],
    ["else the connected user's", 2, 1, null, 'Asia/Tokyo'],
    ["else the browser's", 2, 2, null, 'UTC'],
    ['an unknown zone is skipped', 3, 2, null, 'UTC'],
    ['a person the extension does not know', 9, 1, null, 'Asia/Tokyo'],
    ['the override wins', 1, 1, 'America/New_York', 'America/New_York'],
  ])('%s', (_, personId, connectedUserId, override, expected) => {
    expect(resolveZone(personId, { people, connectedUserId, browserZone: 'UTC' }, { timeZone: override })).toBe(expected);
  });

  it('normalizes the week start and the light offset', () => {
    expect(countingRules({ weekStart: 7 }).weekStart).toBe(0);
    expect(countingRules({ weekStart: 6 }).weekStart).toBe(6);
    expect(countingRules({ lightOffsetMinutes: -5 }).lightOffsetMinutes).toBe(0);
  });

  it('defaults', () => {
    expect(countingRules()).toEqual({
      litRule: 'day',
      lightOffsetMinutes: 15,
      mode: 'item',
      countedEntityTypes: [1, 2, 3, 4],
      weekStart: 1,
      timeZone: null,
    });
  });
});

describe('chip table', () => {
  it.each<[boolean, ChipCounts, ChipState]>([
    [true, { incoming: 2, lit: 3, open: 7 }, { state: 'both', count: 5, mine: true, dot: null }],
    [true, { incoming: 0, lit: 3, open: 4 }, { state: 'planned', count: 3, mine: true, dot: null }],
    [true, { incoming: 2, lit: 0, open: 4 }, { state: 'incoming', count: 2, mine: true, dot: null }],
    [true, { incoming: 0, lit: 0, open: 1 }, { state: 'waiting', count: 0, mine: true, dot: 'blue' }],
    [true, { incoming: 0, lit: 0, open: 0 }, { state: 'idle', count: 0, mine: true, dot: null }],
    [false, { incoming: 1, lit: 1, open: 3 }, { state: 'others', count: 2, mine: false, dot: null }],
    [false, { incoming: 0, lit: 0, open: 3 }, { state: 'waiting', count: 0, mine: false, dot: 'grey' }],
    [false, { incoming: 0, lit: 0, open: 0 }, { state: 'idle', count: 0, mine: false, dot: null }],
  ])('mine %s, %j', (mine, counts, expected) => {
    expect(chipFromCounts(mine, counts)).toEqual(expected);
  });

  it.each([
    [0, '0'],
    [7, '7'],
    [99, '99'],
    [100, '99+'],
    [12345, '99+'],
  ])('chipLabel(%i) = %s', (n, label) => {
    expect(chipLabel(n)).toBe(label);
  });
});

describe('classifyActivity (Berlin, Wed 2026-05-13 10:00)', () => {
  const now = Date.parse('2026-05-13T10:00:00+02:00');
  const w = dayWindow('Europe/Berlin', now);
  const at = (iso: string) => Date.parse(iso);
  it.each<[string, Partial<CrmActivity>, 'day' | 'lightTime', object]>([
    ['overdue to-do', { deadline: at('2026-05-12T09:00:00+02:00') }, 'day', { day: 'overdue', lit: true, lightsAt: null }],
    ['today 18:00, rule day', { deadline: at('2026-05-13T18:00:00+02:00') }, 'day', { day: 'today', lit: true }],
    [
      'today 18:00, light time',
      { deadline: at('2026-05-13T18:00:00+02:00') },
      'lightTime',
      { day: 'today', lit: false, lightsAt: at('2026-05-13T17:45:00+02:00') },
    ],
    [
      'tomorrow 09:00, reminder a day before',
      { deadline: at('2026-05-14T09:00:00+02:00'), notifyType: 3, notifyValue: 1 },
      'lightTime',
      { day: 'later', lit: true },
    ],
    ['incoming with a stray deadline', { deadline: at('2026-05-12T09:00:00+02:00'), isIncomingChannel: true }, 'day', { incoming: true, deadline: null, day: null, lit: false }],
    ['completed', { deadline: at('2026-05-12T09:00:00+02:00'), completed: true }, 'day', { open: false, lit: false }],
  ])('%s', (_, fields, litRule, expected) => {
    expect(classifyActivity(makeActivity({ id: 1, ...fields }), now, w, countingRules({ litRule }))).toMatchObject(expected);
  });
});
