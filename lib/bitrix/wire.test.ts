import { describe, expect, it } from 'vitest';
import {
  narrowActivity,
  narrowBindings,
  narrowCountedSmartTypes,
  narrowLegacyItem,
  narrowPerson,
  narrowRows,
  narrowSmartItem,
  narrowStageSemantics,
  offsetOfDateTime,
  portalDateTime,
  wireId,
} from './wire';

const activityRow = {
  ID: '15',
  OWNER_TYPE_ID: '2',
  OWNER_ID: '7',
  TYPE_ID: '2',
  PROVIDER_ID: 'VOXIMPLANT_CALL',
  PROVIDER_TYPE_ID: 'CALL',
  DIRECTION: '1',
  COMPLETED: 'N',
  STATUS: '1',
  SUBJECT: 'Missed call',
  CREATED: '2026-05-13T09:00:00+03:00',
  START_TIME: '2026-05-13T09:00:00+03:00',
  END_TIME: '',
  DEADLINE: '9999-12-31T00:00:00+03:00',
  RESPONSIBLE_ID: '3',
  NOTIFY_TYPE: '0',
  NOTIFY_VALUE: '0',
  LAST_UPDATED: '2026-05-13T09:05:00+03:00',
  SETTINGS: { MISSED_CALL: true },
  IS_INCOMING_CHANNEL: 'Y',
};

describe('wire narrowing', () => {
  it('narrows a legacy activity row: strings to numbers, Y/N to booleans, year 9999 to no deadline', () => {
    const n = narrowActivity(activityRow, 180);
    expect(n).toMatchObject({
      ok: true,
      value: {
        id: 15,
        ownerTypeId: 2,
        ownerId: 7,
        bindings: [{ entityTypeId: 2, entityId: 7 }],
        completed: false,
        deadline: null,
        endTime: null,
        isIncomingChannel: true,
        missedCall: true,
        responsibleId: 3,
        lastUpdated: Date.UTC(2026, 4, 13, 6, 5),
      },
    });
  });

  it('reads a DEADLINE without offset in the portal offset', () => {
    const n = narrowActivity({ ...activityRow, DEADLINE: '2026-05-13 18:00:00' }, 180);
    expect(n.ok && n.value.deadline).toBe(Date.UTC(2026, 4, 13, 15));
  });

  it.each([
    ['not an object', 'x', 'not an object'],
    ['a bad ID', { ...activityRow, ID: 'abc' }, 'bad ID'],
    ['no owner', { ...activityRow, OWNER_ID: '' }, 'bad owner'],
    ['no LAST_UPDATED', { ...activityRow, LAST_UPDATED: '' }, 'bad LAST_UPDATED'],
    ['a COMPLETED that is neither Y nor N', { ...activityRow, COMPLETED: 'maybe' }, 'bad COMPLETED'],
  ])('rejects an activity row with %s, saying why', (_name, row, reason) => {
    const n = narrowActivity(row, 180);
    expect(n.ok).toBe(false);
    expect(!n.ok && n.reason).toContain(reason);
  });

  it('an absent IS_INCOMING_CHANNEL stays unknown (null), not false', () => {
    const { IS_INCOMING_CHANNEL: _gone, ...row } = activityRow;
    const n = narrowActivity(row, 180);
    expect(n.ok && n.value.isIncomingChannel).toBeNull();
  });

  it('narrows deals, leads, contacts and companies; rejects a deal without stage semantics', () => {
    const deal = narrowLegacyItem(2, { ID: '5', TITLE: 'D', ASSIGNED_BY_ID: '2', STAGE_ID: 'C1:NEW', STAGE_SEMANTIC_ID: 'P', CATEGORY_ID: '1', IS_RECURRING: 'N', DATE_MODIFY: '2026-05-13T10:00:00+03:00' }, 180);
    expect(deal).toMatchObject({ ok: true, value: { entityTypeId: 2, id: 5, responsibleId: 2, stageSemantic: 'P', categoryId: 1, isRecurring: false } });
    expect(narrowLegacyItem(2, { ID: '5', DATE_MODIFY: '2026-05-13T10:00:00+03:00' }, 180).ok).toBe(false);
    const contact = narrowLegacyItem(3, { ID: '9', NAME: ' Jürgen ', LAST_NAME: '', ASSIGNED_BY_ID: '1', DATE_MODIFY: '2026-05-13T10:00:00+03:00' }, 180);
    expect(contact).toMatchObject({ ok: true, value: { title: 'Jürgen', stageSemantic: null } });
    const company = narrowLegacyItem(4, { ID: '3', TITLE: 'Café Olé', ASSIGNED_BY_ID: '0', IS_MY_COMPANY: 'Y', DATE_MODIFY: '2026-05-13T10:00:00+03:00' }, 180);
    expect(company).toMatchObject({ ok: true, value: { isMyCompany: true, responsibleId: 0 } });
  });

  it('narrows smart-process items with the stage list for semantics', () => {
    const semantics = narrowStageSemantics([
      { STATUS_ID: 'DT128_5:NEW', SEMANTICS: null, EXTRA: { SEMANTICS: 'process' } },
      { STATUS_ID: 'DT128_5:SUCCESS', SEMANTICS: 'S' },
      { STATUS_ID: 'DT128_5:FAIL', EXTRA: { SEMANTICS: 'failure' } },
    ]);
    expect([...semantics]).toEqual([
      ['DT128_5:NEW', 'P'],
      ['DT128_5:SUCCESS', 'S'],
      ['DT128_5:FAIL', 'F'],
    ]);
    const item = narrowSmartItem(128, { id: 4, title: 'P', assignedById: 2, stageId: 'DT128_5:SUCCESS', categoryId: 5, updatedTime: '2026-05-13T10:00:00+03:00' }, semantics, 180);
    expect(item).toMatchObject({ ok: true, value: { entityTypeId: 128, id: 4, stageSemantic: 'S', categoryId: 5 } });
    expect(narrowCountedSmartTypes({ types: [{ entityTypeId: 128, isCountersEnabled: 'Y' }, { entityTypeId: 129, isCountersEnabled: 'N' }, { entityTypeId: 130, isCountersEnabled: true }] })).toEqual([128, 130]);
  });

  it('narrows people, bindings, ids and portal date-times', () => {
    expect(narrowPerson({ ID: '4', NAME: 'João', LAST_NAME: 'Gonçalves', TIME_ZONE: '', UF_DEPARTMENT: [3, '5'], ACTIVE: true })).toMatchObject({
      ok: true,
      value: { id: 4, fullName: 'João Gonçalves', timeZone: null, departmentIds: [3, 5], active: true },
    });
    expect(narrowBindings([{ entityTypeId: 2, entityId: 7 }, { entityTypeId: '3', entityId: '9' }])).toEqual({
      ok: true,
      value: [
        { entityTypeId: 2, entityId: 7 },
        { entityTypeId: 3, entityId: 9 },
      ],
    });
    expect(narrowBindings([{ entityTypeId: 2 }]).ok).toBe(false);
    expect([wireId('12'), wireId(12), wireId('0'), wireId('-1'), wireId('1.5'), wireId(null)]).toEqual([12, 12, null, null, null, null]);
    expect(offsetOfDateTime('2026-05-13T18:00:00+03:00')).toBe(180);
    expect(offsetOfDateTime('2026-05-13T18:00:00-04:30')).toBe(-270);
    expect(portalDateTime(Date.UTC(2026, 4, 13, 15), 180)).toBe('2026-05-13T18:00:00+03:00');
    expect(portalDateTime(Date.UTC(2026, 4, 13, 15), -270)).toBe('2026-05-13T10:30:00-04:30');
  });

  it('narrowRows logs the reason of every rejected row and keeps the rest', () => {
    const log: string[] = [];
    const rows = narrowRows([activityRow, { ...activityRow, ID: 'x' }], (r) => narrowActivity(r, 180), (m) => log.push(m));
    expect(rows.map((r) => r.id)).toEqual([15]);
    expect(log).toEqual(['rejected row: activity: bad ID "x"']);
  });
});

describe('narrowDealCategories', () => {
  it('reads crm.category.list, skipping malformed rows', async () => {
    const { narrowDealCategories } = await import('./wire');
    expect(
      narrowDealCategories({
        categories: [{ id: 0, name: 'General' }, { id: '1', name: ' Partenaires ' }, { id: 'x', name: 'bad' }, { name: 'no id' }, 5],
      }),
    ).toEqual({ 0: 'General', 1: 'Partenaires' });
    expect(narrowDealCategories([])).toEqual({});
    expect(narrowDealCategories(null)).toEqual({});
  });
});

describe('hostile rows at the edge', () => {
  it('takes numbers where strings are expected and the reverse, and keeps hostile text as plain text', () => {
    const n = narrowActivity(
      { ...activityRow, ID: 15, OWNER_ID: 7, RESPONSIBLE_ID: 3, SUBJECT: 12345, NOTIFY_VALUE: '15' },
      180,
    );
    expect(n).toMatchObject({ ok: true, value: { id: 15, ownerId: 7, responsibleId: 3, subject: '12345', notifyValue: 15 } });
    const html = '<img src=x onerror=alert(1)>\u202E\u200B';
    const long = 'x'.repeat(100_000);
    const h = narrowActivity({ ...activityRow, SUBJECT: `${html}${long}` }, 180);
    expect(h.ok && h.value.subject.startsWith(html)).toBe(true);
  });

  it('survives objects, arrays and nulls in any field without throwing', () => {
    const junk = [null, undefined, {}, [], { a: 1 }, Number.NaN, '', 'javascript:alert(1)', true];
    for (const field of Object.keys(activityRow)) {
      for (const value of junk) {
        expect(() => narrowActivity({ ...activityRow, [field]: value }, 180)).not.toThrow();
      }
    }
    expect(() => narrowLegacyItem(2, { ID: {}, TITLE: [], ASSIGNED_BY_ID: null, STAGE_SEMANTIC_ID: 7 }, 180)).not.toThrow();
  });

  it('an unknown entity type on an activity is kept as data (it simply counts for no known item)', () => {
    const n = narrowActivity({ ...activityRow, OWNER_TYPE_ID: '999' }, 180);
    expect(n.ok && n.value.ownerTypeId).toBe(999);
  });
});
