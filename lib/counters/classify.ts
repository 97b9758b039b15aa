// What one activity or one item is, by the rules of counters.md. No time
// zones here: callers pass a DayWindow computed once per person.
import { type CrmActivity, type CrmItem, EntityType, type ItemRef } from '../domain';
import type { CountingRules } from './rules';
import type { DayWindow } from './time';

const MINUTE = 60_000;
const NOTIFY_UNIT_MS: Record<number, number> = { 1: MINUTE, 2: 60 * MINUTE, 3: 1440 * MINUTE };

export function isOpenActivity(a: CrmActivity): boolean {
  return !a.completed;
}

/**
 * IS_INCOMING_CHANNEL; when the portal did not return it, incoming calls and
 * e-mails (DIRECTION = 1) and open-channel chats (any direction).
 */
export function isIncoming(a: CrmActivity): boolean {
  if (a.isIncomingChannel !== null) return a.isIncomingChannel;
  if (a.providerId === 'IMOPENLINES_SESSION') return true;
  if (a.direction !== 1) return false;
  return a.typeId === 2 || a.typeId === 4 || a.providerId === 'VOXIMPLANT_CALL' || a.providerId === 'CRM_EMAIL';
}

/**
 * The deadline that counts: none for incoming activities (counters.md: they
 * have none; a stray DEADLINE on one is ignored).
 */
export function effectiveDeadline(a: CrmActivity): number | null {
  return isIncoming(a) ? null : a.deadline;
}

/**
 * How long before its deadline an activity lights under rule light time, in ms.
 * As Bitrix24 computes LIGHT_COUNTER_AT (crm module,
 * `lib/activity/lightcounter/counterlighttime.php`,
 * `CounterLightTime::calculateMinutesToLightCounter`): the largest reminder
 * offset when the activity has any; else NOTIFY in minutes when that is not
 * negative (a negative NOTIFY_VALUE falls through, as there); else the
 * portal's default (option ACTIVITY_DEFAULT_OFFSET_TO_LIGHT_COUNTER_MINUTES,
 * 15 unless changed: our `lightOffsetMinutes`). Negative reminder offsets are
 * skipped: Bitrix24 never stores them (`PingSettingsProvider::filterOffsets`).
 */
export function lightOffsetMs(a: CrmActivity, rules: Pick<CountingRules, 'lightOffsetMinutes'>): number {
  let largest = -1;
  for (const offset of a.pingOffsets ?? []) if (Number.isFinite(offset) && offset > largest) largest = offset;
  if (largest >= 0) return Math.floor(largest) * MINUTE;
  const unit = NOTIFY_UNIT_MS[a.notifyType];
  if (unit !== undefined && a.notifyValue >= 0) return a.notifyValue * unit;
  return rules.lightOffsetMinutes * MINUTE;
}

/**
 * The number compared to the clock to decide "lit": the deadline under rule
 * day (lit when before tomorrow 00:00), the light time under rule light time
 * (lit when ≤ now). NaN when the activity can never be lit (incoming or no deadline).
 */
export function litKey(a: CrmActivity, rules: Pick<CountingRules, 'litRule' | 'lightOffsetMinutes'>): number {
  const deadline = effectiveDeadline(a);
  if (deadline === null) return Number.NaN;
  return rules.litRule === 'day' ? deadline : deadline - lightOffsetMs(a, rules);
}

/** Whether a lit key is lit at `now` (`window` is the viewer's day around `now`). */
export function isLitKey(key: number, now: number, window: DayWindow, rules: Pick<CountingRules, 'litRule'>): boolean {
  return rules.litRule === 'day' ? key < window.tomorrowStart : key <= now;
}

/** Open, non-incoming, with a deadline, and lit at `now`. */
export function isLit(
  a: CrmActivity,
  now: number,
  window: DayWindow,
  rules: Pick<CountingRules, 'litRule' | 'lightOffsetMinutes'>,
): boolean {
  if (a.completed) return false;
  const key = litKey(a, rules);
  return !Number.isNaN(key) && isLitKey(key, now, window, rules);
}

export type DeadlineDay = 'overdue' | 'today' | 'later';

/** Where a deadline falls relative to the viewer's today. */
export function deadlineDay(deadline: number, window: DayWindow): DeadlineDay {
  if (deadline < window.todayStart) return 'overdue';
  if (deadline < window.tomorrowStart) return 'today';
  return 'later';
}

/**
 * Open item: deal in progress and not recurring; lead in progress; company
 * that is not "my company"; any contact; smart-process item in progress.
 */
export function isOpenItem(item: CrmItem): boolean {
  switch (item.entityTypeId) {
    case EntityType.deal:
      return item.stageSemantic === 'P' && !item.isRecurring;
    case EntityType.lead:
      return item.stageSemantic === 'P';
    case EntityType.company:
      return !item.isMyCompany;
    case EntityType.contact:
      return true;
    default:
      return item.stageSemantic === 'P';
  }
}

/** Open and of a counted type: the items that take part in counting. */
export function isCountedItem(item: CrmItem, rules: Pick<CountingRules, 'countedEntityTypes'>): boolean {
  return rules.countedEntityTypes.includes(item.entityTypeId) && isOpenItem(item);
}

/**
 * The items an activity is bound to, owner included, each once. One count per
 * binding: an activity bound to two open items counts twice.
 */
export function activityItems(a: CrmActivity): ItemRef[] {
  const out: ItemRef[] = [];
  const seen = new Set<number>();
  const add = (entityTypeId: number, entityId: number) => {
    if (entityTypeId <= 0 || entityId <= 0) return;
    const k = refNumber(entityTypeId, entityId);
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ entityTypeId, entityId });
  };
  add(a.ownerTypeId, a.ownerId);
  for (const b of a.bindings) add(b.entityTypeId, b.entityId);
  return out;
}

/** A numeric item key (faster than `itemKey`'s string in maps): type × 2³² + id. */
export function refNumber(entityTypeId: number, entityId: number): number {
  return entityTypeId * 4_294_967_296 + entityId;
}

/** Everything the rules say about one activity at one instant, for one viewer's day. */
export interface ActivityClass {
  open: boolean;
  incoming: boolean;
  /** The deadline that counts (none for incoming activities). */
  deadline: number | null;
  /** Where that deadline falls in the viewer's day; null without one. */
  day: DeadlineDay | null;
  /** Rule light time: the instant it lights (deadline − reminder). Null under rule day (it lights at its day's midnight) or without a deadline. */
  lightsAt: number | null;
  /** Counts in Planned (open, not incoming, lit). */
  lit: boolean;
}

export function classifyActivity(
  a: CrmActivity,
  now: number,
  window: DayWindow,
  rules: Pick<CountingRules, 'litRule' | 'lightOffsetMinutes'>,
): ActivityClass {
  const incoming = isIncoming(a);
  const deadline = incoming ? null : a.deadline;
  const lightsAt = deadline === null ? null : rules.litRule === 'lightTime' ? deadline - lightOffsetMs(a, rules) : null;
  return {
    open: !a.completed,
    incoming,
    deadline,
    day: deadline === null ? null : deadlineDay(deadline, window),
    lightsAt,
    lit: isLit(a, now, window, rules),
  };
}
