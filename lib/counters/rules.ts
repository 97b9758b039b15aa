// The settings that change how counters count, and whose day a counter uses.
import { EntityType, type Person } from '../domain';
import { isValidTimeZone } from './time';

/** `day`: lit from the deadline's day on (the seed's rule). `lightTime`: lit from deadline − reminder. */
export type LitRule = 'day' | 'lightTime';

/** Whose counter an activity feeds: the item's responsible (default) or the activity's. */
export type CounterMode = 'item' | 'activity';

export interface CountingRules {
  litRule: LitRule;
  /** Light-time offset for activities without NOTIFY_TYPE, in minutes. */
  lightOffsetMinutes: number;
  mode: CounterMode;
  /** Entity type ids that count; others get no chip and feed no counter. */
  countedEntityTypes: readonly number[];
  /** First day of the week for the Activities view: 0 = Sunday, 1 = Monday (default) ... 6. */
  weekStart: number;
  /** An IANA zone that overrides every person's zone; null = none. */
  timeZone: string | null;
}

export const CLASSIC_ENTITY_TYPES: readonly number[] = [
  EntityType.lead,
  EntityType.deal,
  EntityType.contact,
  EntityType.company,
];

export const DEFAULT_LIGHT_OFFSET_MINUTES = 15;

/**
 * Complete rules from settings. Counted types default to the four classic ones
 * plus `smartProcessTypeIds` (the types with `isCountersEnabled` in crm.type.list).
 */
export function countingRules(
  overrides: Partial<CountingRules> = {},
  smartProcessTypeIds: readonly number[] = [],
): CountingRules {
  return {
    litRule: overrides.litRule ?? 'day',
    lightOffsetMinutes: Math.max(0, overrides.lightOffsetMinutes ?? DEFAULT_LIGHT_OFFSET_MINUTES),
    mode: overrides.mode ?? 'item',
    countedEntityTypes: overrides.countedEntityTypes ?? [...CLASSIC_ENTITY_TYPES, ...smartProcessTypeIds],
    // 7 (ISO Sunday) reads as 0.
    weekStart: (((Math.trunc(overrides.weekStart ?? 1) % 7) + 7) % 7),
    timeZone: overrides.timeZone ?? null,
  };
}

/** Where the zones of people come from. */
export interface ZoneSources {
  /** Profiles by user id (only `timeZone` is read). */
  people: ReadonlyMap<number, Pick<Person, 'timeZone'>>;
  /** The webhook's user (`user.current`), or null before it is known. */
  connectedUserId: number | null;
  /** The browser's zone, `Intl.DateTimeFormat().resolvedOptions().timeZone`, passed in. */
  browserZone: string;
}

/**
 * The zone in which `personId`'s days run: the override when set, else the
 * person's profile TIME_ZONE, else the connected user's, else the browser's.
 * Unknown zone names are skipped.
 */
export function resolveZone(personId: number, sources: ZoneSources, rules: Pick<CountingRules, 'timeZone'>): string {
  const candidates = [
    rules.timeZone,
    sources.people.get(personId)?.timeZone,
    sources.connectedUserId === null ? null : sources.people.get(sources.connectedUserId)?.timeZone,
    sources.browserZone,
  ];
  for (const zone of candidates) {
    if (zone && isValidTimeZone(zone)) return zone;
  }
  return 'UTC';
}
