// The counter engine: Bitrix24's counting rules (docs/counters.md), pure and
// incremental. Nothing here reads the clock or the browser: `now` (epoch ms)
// and zone names are arguments.
//
// - sync, at the REST edge: parseDeadline(raw, portalOffsetMinutes).
// - background: one CounterIndex per connection, built with countingRules(settings,
//   smartProcessTypeIdsWithCounters), the people and the browser's zone;
//   index.load(snapshot) after a full sync, index.apply(delta) after each poll
//   (its DeltaEffect names the items and people to refresh); after each change,
//   arm one alarm at index.nextChangeAt(now, [connectedUserId, shownPersonId]).
// - badge: index.totals(connectedUserId, now): `all`, red when `planned` > 0.
// - popup: index.responsibleIds() for the Employee list, totals(p, now) and
//   lists(p, now) for the chosen person.
// - chips: index.chip(ref, viewerId, now) for data-state/data-count/data-mine
//   (null: no chip; index.knows(ref) false: look the item up), chipLabel(count).
export {
  type ActivityClass,
  activityItems,
  classifyActivity,
  type DeadlineDay,
  deadlineDay,
  effectiveDeadline,
  isCountedItem,
  isIncoming,
  isLit,
  isLitKey,
  isOpenActivity,
  isOpenItem,
  lightOffsetMs,
  litKey,
} from './classify';
export { type CounterDelta, CounterIndex, type CounterIndexOptions, type DeltaEffect } from './engine';
export { naiveChip, naiveColumn, naiveLists, naiveTotals, type PortalSnapshot } from './naive';
export { nextChangeAt } from './next-change';
export {
  type ActivitiesColumn,
  type ChipCounts,
  type ChipKind,
  type ChipState,
  COUNTER_COLOURS,
  type CounterTotals,
  type Counts,
  chipFromCounts,
  chipLabel,
  type ListEntry,
  type PersonLists,
} from './results';
export {
  CLASSIC_ENTITY_TYPES,
  type CounterMode,
  type CountingRules,
  countingRules,
  DEFAULT_LIGHT_OFFSET_MINUTES,
  type LitRule,
  resolveZone,
  type ZoneSources,
} from './rules';
export { type DayWindow, dayWindow, isValidTimeZone, parseDeadline, startOfDay, zoneOffsetAt } from './time';
