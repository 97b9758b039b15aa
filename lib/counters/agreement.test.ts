import { describe, expect, it } from 'vitest';
import {
  agreementState,
  type CheckRecord,
  checkRecord,
  differences,
  type FollowState,
  NO_FOLLOW,
  nextFollow,
  offeredWay,
  type OurCounts,
  type PortalAnswer,
  portalWayOf,
  skippedTypes,
  type TypeAnswer,
  type Way,
} from './agreement';

const LI: Way = { litRule: 'lightTime', mode: 'item' };
const LA: Way = { litRule: 'lightTime', mode: 'activity' };
const DI: Way = { litRule: 'day', mode: 'item' };
const DA: Way = { litRule: 'day', mode: 'activity' };

const counted = (incoming: number, current: number): TypeAnswer => ({ kind: 'counted', incoming, current });
const answer = (types: PortalAnswer['types']): PortalAnswer => ({ at: 0, types });
/** Our counts: deals and leads per way. */
function ours(table: [Way, [number, number], [number, number]][]): OurCounts[] {
  return table.map(([way, deal, lead]) => ({
    way,
    types: { 2: { incoming: deal[0], planned: deal[1] }, 1: { incoming: lead[0], planned: lead[1] } },
    pipelines: {},
  }));
}

describe('the way the portal counts, from one answer', () => {
  const counts = ours([
    [LI, [1, 2], [0, 1]],
    [LA, [1, 3], [0, 1]],
    [DI, [1, 5], [0, 2]],
    [DA, [1, 6], [0, 2]],
  ]);

  it.each<[string, PortalAnswer['types'], Way | null]>([
    ['the item mode alone reproduces it', { 2: counted(1, 2), 1: counted(0, 1) }, LI],
    ['the activity mode alone reproduces it', { 2: counted(1, 3), 1: counted(0, 1) }, LA],
    ['a type that did not answer is left out', { 2: counted(1, 3), 1: { kind: 'denied' } }, LA],
    // Today's codes say light time whatever the numbers: day's 5 is never taken.
    ['neither mode: light time, the current mode kept', { 2: counted(1, 5), 1: counted(0, 2) }, LI],
    ['the previous generation: not available for following', { 2: { kind: 'previous' }, 1: { kind: 'previous' } }, null],
    ['no type answered', { 2: { kind: 'error', code: 'ERROR_METHOD_NOT_FOUND' }, 1: { kind: 'off' } }, null],
  ])('%s', (_name, types, expected) => {
    expect(portalWayOf(answer(types), counts, 'item')).toEqual(expected);
  });

  it('on a tie (both modes reproduce it) keeps the current mode', () => {
    const tie = ours([
      [LI, [1, 2], [0, 1]],
      [LA, [1, 2], [0, 1]],
    ]);
    expect(portalWayOf(answer({ 2: counted(1, 2), 1: counted(0, 1) }), tie, 'item')).toEqual(LI);
    expect(portalWayOf(answer({ 2: counted(1, 2), 1: counted(0, 1) }), tie, 'activity')).toEqual(LA);
  });
});

describe('following: the first check at once, later only two checks in a row', () => {
  it('takes the first check\'s way at once', () => {
    expect(nextFollow(NO_FOLLOW, LA)).toEqual({ way: LA, candidate: null });
  });

  it('a single different check waits; a second in a row changes', () => {
    let state: FollowState = { way: LI, candidate: null };
    state = nextFollow(state, LA);
    expect(state).toEqual({ way: LI, candidate: LA });
    state = nextFollow(state, LA);
    expect(state).toEqual({ way: LA, candidate: null });
  });

  it('two different checks that disagree with each other change nothing', () => {
    let state: FollowState = { way: LI, candidate: null };
    state = nextFollow(state, LA);
    state = nextFollow(state, LI);
    expect(state).toEqual({ way: LI, candidate: null });
    state = nextFollow(state, LA);
    expect(state.way).toEqual(LI);
  });

  it('a check that points nowhere keeps the way and forgets the candidate', () => {
    expect(nextFollow({ way: LI, candidate: LA }, null)).toEqual({ way: LI, candidate: null });
    expect(nextFollow(NO_FOLLOW, null)).toEqual(NO_FOLLOW);
  });
});

describe('a check\'s record and the popup\'s state', () => {
  const counts = ours([
    [LI, [1, 2], [0, 1]],
    [LA, [1, 3], [0, 1]],
    [DI, [1, 5], [0, 2]],
  ]);
  const portal = answer({ 2: counted(1, 2), 1: counted(0, 1), 3: { kind: 'denied' }, 4: { kind: 'off' } });
  const agreeing = checkRecord(portal, counts, LI, LI);
  const differing = checkRecord(portal, counts, DI, LI);

  it('compares the way in force with every type that answered; the others are named as skipped', () => {
    expect(agreeing).toMatchObject({ generation: 'current', agrees: true, agreeing: [LI] });
    expect(skippedTypes(agreeing).map((c) => [c.entityTypeId, c.answer])).toEqual([
      [3, 'denied'],
      [4, 'off'],
    ]);
    expect(differing.agrees).toBe(false);
    expect(differences(differing)).toEqual([
      { entityTypeId: 1, incoming: 0, planned: 1 },
      { entityTypeId: 2, incoming: 0, planned: 3 },
    ]);
  });

  it('offers the way that would agree: the mode in force kept, the rule changed', () => {
    expect(offeredWay(differing)).toEqual(LI);
    expect(offeredWay(agreeing)).toBeNull();
    const nothingAgrees = checkRecord(answer({ 2: counted(9, 9) }), counts, DI, LI);
    expect(offeredWay(nothingAgrees)).toBeNull();
  });

  it('keeps the `_excl` totals for the diagnostics, not the comparison', () => {
    const withOthers = checkRecord(answer({ 2: { kind: 'counted', incoming: 1, current: 2, othersIncoming: 100, othersCurrent: 7 } }), counts, LI, LI);
    expect(withOthers.agrees).toBe(true);
    expect(withOthers.types[0].others).toEqual({ incoming: 100, planned: 7 });
  });

  it.each<[string, CheckRecord[], string]>([
    ['before the first check', [], 'checking'],
    ['the last check agreed', [agreeing, differing], 'match'],
    ['one disagreement: wait for the next check', [differing, agreeing], 'checking'],
    ['one disagreement, the first check', [differing], 'checking'],
    ['two disagreements in a row', [differing, differing], 'differs'],
    ['no type answered', [checkRecord(answer({ 2: { kind: 'error', code: 'ERROR_METHOD_NOT_FOUND' } }), counts, DI, null)], 'unavailable'],
    ['the previous generation', [checkRecord(answer({ 2: { kind: 'previous' } }), counts, DI, null)], 'unavailable'],
  ])('%s → %s', (_name, checks, state) => {
    expect(agreementState(checks)).toBe(state);
  });
});
