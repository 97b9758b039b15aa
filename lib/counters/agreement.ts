// Agreement with the portal's own counters (crm.counter.list; counters.md,
// "The portal's own counters"; contract, "Agreement with the portal's own
// counters"). Pure: the portal's answer per type and our counts per (rule,
// mode) in, the check's record, the rule and mode to follow and the state
// the popup shows out.
import type { CounterMode, LitRule } from './rules';

/** What one counter command answered for one type (or one deal pipeline). */
export type TypeAnswer =
  /** Today's codes: `incomingchannel` and `current` (lit by light time); `_excl` totals when asked (diagnostics only). */
  | { kind: 'counted'; incoming: number; current: number; othersIncoming?: number; othersCurrent?: number }
  /** The previous generation's codes (no `incomingchannel`): nothing to compare Incoming with. */
  | { kind: 'previous' }
  /** `[]`: counters are off for that type on this portal. */
  | { kind: 'off' }
  /** ACCESS_DENIED: the user may not read that type (or pipeline). */
  | { kind: 'denied' }
  /** Any other error (ERROR_METHOD_NOT_FOUND on a portal without the controller, ...), by its code. */
  | { kind: 'error'; code: string };

export interface PortalAnswer {
  /** The answer's own time (`time.date_start`), ms: our counts are taken at that instant. */
  at: number;
  /** By entity type id. */
  types: Record<number, TypeAnswer>;
  /** Deal pipelines (CATEGORY_ID), asked only to locate a difference the deals' total shows. */
  pipelines?: Record<number, TypeAnswer>;
}

export interface Pair {
  incoming: number;
  planned: number;
}

/** A way of counting: a rule and a mode. */
export interface Way {
  litRule: LitRule;
  mode: CounterMode;
}

export const wayKey = (w: Way): string => `${w.litRule}/${w.mode}`;

/** Our counts for the connected user at the answer's time, per way of counting: per type, and per deal pipeline. */
export interface OurCounts {
  way: Way;
  types: Record<number, Pair>;
  pipelines: Record<number, Pair>;
}

export interface TypeComparison {
  entityTypeId: number;
  /** Null when that type did not answer with today's codes (see `answer`). */
  portal: Pair | null;
  /** `_excl` totals (capped at 100 by the portal; not compared). */
  others?: Pair;
  ours: Pair;
  answer: TypeAnswer['kind'];
  /** The code of an error answer. */
  error?: string;
}

export interface CheckRecord {
  /** Portal time of the answer. */
  at: number;
  /** `current`: at least one type answered today's codes; `previous`: only the previous generation's; `none`: no type answered. */
  generation: 'current' | 'previous' | 'none';
  /** The way in force after this check (what the user sees). */
  way: Way;
  types: TypeComparison[];
  pipelines?: TypeComparison[];
  /** Our numbers in force equal the portal's for every type that answered. */
  agrees: boolean;
  /** The ways that reproduce the portal's numbers for every type that answered (light time only). */
  agreeing: Way[];
  /** The way the portal's answer says it counts (null: not available for following, or no single way). */
  portalWay: Way | null;
}

function pairOf(answer: TypeAnswer): Pair | null {
  return answer.kind === 'counted' ? { incoming: answer.incoming, planned: answer.current } : null;
}

const samePair = (a: Pair, b: Pair) => a.incoming === b.incoming && a.planned === b.planned;

/** Which ways reproduce every answered type's numbers. Today's codes mean rule light time: only its ways count. */
export function agreeingWays(answer: PortalAnswer, ours: readonly OurCounts[]): Way[] {
  const answered = Object.entries(answer.types).filter(([, a]) => a.kind === 'counted');
  if (answered.length === 0) return [];
  return ours
    .filter((o) => o.way.litRule === 'lightTime')
    .filter((o) => answered.every(([type, a]) => samePair(o.types[Number(type)] ?? { incoming: 0, planned: 0 }, pairOf(a)!)))
    .map((o) => o.way);
}

/**
 * The way the portal counts, from one answer: rule light time whenever a
 * type answered today's codes; the mode that alone reproduces the numbers,
 * or on a tie (both or neither) `currentMode`. Null when no type answered
 * today's codes (an old portal, or the previous generation: not available
 * for following).
 */
export function portalWayOf(answer: PortalAnswer, ours: readonly OurCounts[], currentMode: CounterMode): Way | null {
  if (!Object.values(answer.types).some((a) => a.kind === 'counted')) return null;
  const modes = [...new Set(agreeingWays(answer, ours).map((w) => w.mode))];
  return { litRule: 'lightTime', mode: modes.length === 1 ? modes[0] : currentMode };
}

/** What is followed: the portal's way, and the way the last check pointed to (a change needs two checks in a row). */
export interface FollowState {
  way: Way | null;
  /** The way the previous check pointed to, when it differed from `way`. */
  candidate: Way | null;
}

export const NO_FOLLOW: FollowState = { way: null, candidate: null };

/**
 * The way to follow after a check that points to `pointed`: the first check
 * takes it at once (so the first number shown is already the portal's);
 * later a different way is taken only when two checks in a row point to it.
 * A check that points nowhere (no answer with today's codes) changes nothing.
 */
export function nextFollow(state: FollowState, pointed: Way | null): FollowState {
  if (pointed === null) return { way: state.way, candidate: null };
  if (state.way === null) return { way: pointed, candidate: null };
  if (wayKey(pointed) === wayKey(state.way)) return { way: state.way, candidate: null };
  if (state.candidate && wayKey(state.candidate) === wayKey(pointed)) return { way: pointed, candidate: null };
  return { way: state.way, candidate: pointed };
}

function compare(entityTypeId: number, answer: TypeAnswer, ours: Pair | undefined): TypeComparison {
  const c: TypeComparison = { entityTypeId, portal: pairOf(answer), ours: ours ?? { incoming: 0, planned: 0 }, answer: answer.kind };
  if (answer.kind === 'counted' && answer.othersIncoming !== undefined) {
    c.others = { incoming: answer.othersIncoming, planned: answer.othersCurrent ?? 0 };
  }
  if (answer.kind === 'error') c.error = answer.code;
  return c;
}

/** The record of one check, compared with the way in force after it. */
export function checkRecord(answer: PortalAnswer, ours: readonly OurCounts[], inForce: Way, portalWay: Way | null): CheckRecord {
  const mine = ours.find((o) => wayKey(o.way) === wayKey(inForce));
  const types = Object.entries(answer.types).map(([t, a]) => compare(Number(t), a, mine?.types[Number(t)]));
  const kinds = Object.values(answer.types).map((a) => a.kind);
  const generation = kinds.includes('counted') ? 'current' : kinds.includes('previous') ? 'previous' : 'none';
  const record: CheckRecord = {
    at: answer.at,
    generation,
    way: inForce,
    types,
    agrees: generation === 'current' && types.every((c) => c.portal === null || samePair(c.portal, c.ours)),
    agreeing: agreeingWays(answer, ours),
    portalWay,
  };
  if (answer.pipelines) record.pipelines = Object.entries(answer.pipelines).map(([c, a]) => compare(Number(c), a, mine?.pipelines[Number(c)]));
  return record;
}

export type AgreementState = 'match' | 'differs' | 'checking' | 'unavailable';

/** The popup's state from the last two checks, newest first (contract). */
export function agreementState(checks: readonly CheckRecord[]): AgreementState {
  const [last, before] = checks;
  if (!last) return 'checking';
  if (last.generation !== 'current') return 'unavailable';
  if (last.agrees) return 'match';
  return before && before.generation === 'current' && !before.agrees ? 'differs' : 'checking';
}

/** Types that differ at the last check, with the sizes (ours − the portal's). */
export function differences(check: CheckRecord): { entityTypeId: number; incoming: number; planned: number }[] {
  return check.types
    .filter((c) => c.portal !== null && !samePair(c.portal, c.ours))
    .map((c) => ({ entityTypeId: c.entityTypeId, incoming: c.ours.incoming - c.portal!.incoming, planned: c.ours.planned - c.portal!.planned }));
}

/** Types named as skipped: they did not answer with today's codes. */
export function skippedTypes(check: CheckRecord): TypeComparison[] {
  return check.types.filter((c) => c.portal === null);
}

/** The way that would agree, to offer when the numbers differ: the in-force mode first, then the rule. Null: none would. */
export function offeredWay(check: CheckRecord): Way | null {
  if (check.agrees || check.agreeing.length === 0) return null;
  return check.agreeing.find((w) => w.mode === check.way.mode) ?? check.agreeing[0];
}
