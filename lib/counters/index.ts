// The counter engine: Bitrix24's counting rules, pure and incremental.
// The sync calls parseDeadline at the REST edge and feeds CounterIndex;
// badge, popup and chips read totals, lists, chip and column from it.
export {
  activityItems,
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
export { naiveChip, naiveColumn, naiveLists, naiveTotals, type Portal } from './naive';
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
