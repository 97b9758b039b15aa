// Typed, versioned settings in storage.local. No secrets here: the webhook
// lives in IndexedDB only.
import { browser } from 'wxt/browser';
import type { CounterMode, CountingRules, LitRule } from './counters';
import type { Way } from './counters/agreement';
import { isValidTimeZone } from './counters/time';
import { MIN_POLL_SECONDS } from './flavour';
import { loadManaged, MANAGED_LAST_KEY, type ManagedSettings, withManaged } from './managed';
import { type PortalSlot, readRegistry, slotKey } from './store/portals';
import { withLock } from './lock';

/** Whose per-portal values: a connected portal's slot (lib/store/portals.ts); none = the first slot's. */
export type SlotRef = Pick<PortalSlot, 'dbName' | 'origin'> | null;
const keyOf = (base: string, slot: SlotRef | undefined) => (slot ? slotKey(base, slot) : base);

export const SETTINGS_VERSION = 2;
const KEY = 'settings';
/**
 * Another portal's own values of PORTAL_FIELDS (issue #17): a patch over the
 * global settings, under that portal's key (`portalSettings ORIGIN`). The
 * first slot has none: its values are the global record's, as they were with
 * one portal, so a single-portal profile reads exactly as before.
 */
export const PORTAL_SETTINGS_KEY = 'portalSettings';
/** The way the portal's own counters say it counts (lib/sync/portal-check.ts): what "As your portal counts" follows. */
export const PORTAL_WAY_KEY = 'portalWay';

/** A counting rule, or "as your portal counts" (the default): the portal's, where it says, else the seed's. */
export type LitRuleChoice = LitRule | 'portal';
export type CounterModeChoice = CounterMode | 'portal';

export interface Settings {
  version: typeof SETTINGS_VERSION;
  /** Incremental poll, seconds: MIN_POLL_SECONDS (30; demo builds 5) to 1800. */
  pollSeconds: number;
  /** ID sweep that finds deleted records and changed bindings, minutes. */
  reconcileMinutes: number;
  /** Entity type ids to count; null = the four classic types plus smart processes with counters on. */
  countedEntityTypes: number[] | null;
  /** Enterprise plans have a bigger request bucket (250, 5/s). */
  enterpriseLimits: boolean;
  /** `day` (the seed's rule), `lightTime` (Bitrix24 cloud since 2023), or `portal`: as the portal counts (the default). */
  litRule: LitRuleChoice;
  /** Light-time offset for activities without a reminder, minutes. */
  lightOffsetMinutes: number;
  /** Whose counter an activity feeds: the item's responsible, the activity's, or `portal`: as the portal counts (the default). */
  counterMode: CounterModeChoice;
  /** First day of the week for the Activities view: 0 = Sunday, 1 = Monday. */
  weekStart: number;
  /** An IANA zone that overrides everyone's; null = each person's own. */
  timeZone: string | null;
  /** Chips on/off per page kind. */
  chips: Record<PageKind, boolean>;
  /** Desktop notifications for new incoming activities (and light times under rule light time). */
  notifications: boolean;
  /** Quiet hours, `HH:MM` in the browser's zone; none when either is null. */
  quietFrom: string | null;
  quietTo: string | null;
  /**
   * Stretch polls for a big team (lib/sync/team-share.ts). Demo builds only may
   * turn it off, for tests and benchmarks (contract, Builds); store builds
   * always stretch.
   */
  teamShare: boolean;
}

/** What differs by portal: how its counters count and what "today" is there. The rest is one set for every portal. */
export const PORTAL_FIELDS = ['countedEntityTypes', 'litRule', 'lightOffsetMinutes', 'counterMode', 'timeZone'] as const;
export type PortalField = (typeof PORTAL_FIELDS)[number];
export type PortalSettings = Pick<Settings, PortalField>;

/** Lists, kanban and Activities views; item pages and sliders; anywhere else on the portal. */
export type PageKind = 'lists' | 'itemPages' | 'elsewhere';

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  pollSeconds: 60,
  reconcileMinutes: 30,
  countedEntityTypes: null,
  enterpriseLimits: false,
  litRule: 'portal',
  lightOffsetMinutes: 15,
  counterMode: 'portal',
  weekStart: 1,
  timeZone: null,
  chips: { lists: true, itemPages: true, elsewhere: true },
  notifications: false,
  quietFrom: null,
  quietTo: null,
  teamShare: true,
};

export const MAX_POLL_SECONDS = 1800;

/** Completes and clamps stored settings (older or hand-edited ones included). */
export function normalizeSettings(raw: unknown, minPollSeconds = MIN_POLL_SECONDS): Settings {
  const r = raw && typeof raw === 'object' ? (raw as Partial<Settings>) : {};
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  const types = Array.isArray(r.countedEntityTypes)
    ? r.countedEntityTypes.filter((t): t is number => Number.isInteger(t) && t > 0)
    : null;
  // Version 1 had no "as your portal counts": its defaults (day, item) become that choice, any other choice stays.
  const migrating = (r as { version?: unknown }).version === 1;
  const litRule: LitRuleChoice = r.litRule === 'lightTime' || r.litRule === 'portal' ? r.litRule : migrating || r.litRule !== 'day' ? 'portal' : 'day';
  const counterMode: CounterModeChoice =
    r.counterMode === 'activity' || r.counterMode === 'portal' ? r.counterMode : migrating || r.counterMode !== 'item' ? 'portal' : 'item';
  return {
    version: SETTINGS_VERSION,
    pollSeconds: Math.min(MAX_POLL_SECONDS, Math.max(minPollSeconds, num(r.pollSeconds, DEFAULT_SETTINGS.pollSeconds))),
    reconcileMinutes: Math.min(24 * 60, Math.max(5, num(r.reconcileMinutes, DEFAULT_SETTINGS.reconcileMinutes))),
    countedEntityTypes: types?.length ? types : null,
    enterpriseLimits: r.enterpriseLimits === true,
    litRule,
    lightOffsetMinutes: Math.min(7 * 24 * 60, Math.max(0, Math.round(num(r.lightOffsetMinutes, 15)))),
    counterMode,
    weekStart: Number.isInteger(r.weekStart) && (r.weekStart as number) >= 0 && (r.weekStart as number) <= 6 ? (r.weekStart as number) : 1,
    timeZone: typeof r.timeZone === 'string' && isValidTimeZone(r.timeZone) ? r.timeZone : null,
    chips: {
      lists: r.chips?.lists !== false,
      itemPages: r.chips?.itemPages !== false,
      elsewhere: r.chips?.elsewhere !== false,
    },
    notifications: r.notifications === true,
    quietFrom: clockTime(r.quietFrom),
    quietTo: clockTime(r.quietTo),
    teamShare: r.teamShare !== false,
  };
}

function clockTime(value: unknown): string | null {
  return typeof value === 'string' && /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(value) ? value : null;
}

/** Settings with "as your portal counts" resolved: what counts now. */
export type SettingsInForce = Settings & { litRule: LitRule; counterMode: CounterMode };

/**
 * Resolves "as your portal counts": the way the portal's own counters said
 * (`portal`), else the seed's (rule day, item mode). A policy's or the user's
 * choice stands as it is: policy > user > portal > seed.
 */
export function inForce(settings: Settings, portal: Way | null): SettingsInForce {
  return {
    ...settings,
    litRule: settings.litRule === 'portal' ? (portal?.litRule ?? 'day') : settings.litRule,
    counterMode: settings.counterMode === 'portal' ? (portal?.mode ?? 'item') : settings.counterMode,
  };
}

/** The counting rules these settings ask for (counted types default to the classic four plus `smartTypes`). */
export function rulesOf(settings: Settings): Partial<CountingRules> {
  const resolved = inForce(settings, null);
  return {
    litRule: resolved.litRule,
    lightOffsetMinutes: settings.lightOffsetMinutes,
    mode: resolved.counterMode,
    weekStart: settings.weekStart,
    timeZone: settings.timeZone,
    ...(settings.countedEntityTypes ? { countedEntityTypes: settings.countedEntityTypes } : {}),
  };
}

/** Whether a slot's values are the global record's: the first slot's (or no portal's). */
const isFirstSlot = (slot: SlotRef | undefined): boolean => !slot || slotKey(PORTAL_SETTINGS_KEY, slot) === PORTAL_SETTINGS_KEY;

const isPortalField = (key: string): key is PortalField => (PORTAL_FIELDS as readonly string[]).includes(key);

/** A stored portal patch, completed and clamped as any settings are; fields it does not hold follow the global record. */
export function normalizePortalPatch(raw: unknown): Partial<PortalSettings> {
  if (!raw || typeof raw !== 'object') return {};
  const present = Object.keys(raw).filter(isPortalField);
  const normalized = normalizeSettings({ ...raw, version: SETTINGS_VERSION });
  return Object.fromEntries(present.map((field) => [field, normalized[field]])) as Partial<PortalSettings>;
}

/** The fields of a patch that are each portal's own, and the rest. */
function splitPatch(patch: Partial<Settings>): { own: Partial<PortalSettings>; shared: Partial<Settings> } {
  const own: Record<string, unknown> = {};
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) (isPortalField(key) ? own : shared)[key] = value;
  return { own: own as Partial<PortalSettings>, shared: shared as Partial<Settings> };
}

/** A portal's own patch as stored (empty for the first slot, whose values are the global record's). */
export async function loadPortalPatch(slot: SlotRef | undefined): Promise<Partial<PortalSettings>> {
  if (isFirstSlot(slot)) return {};
  const key = keyOf(PORTAL_SETTINGS_KEY, slot);
  return normalizePortalPatch((await browser.storage.local.get(key))[key]);
}

/** The user's own settings, as stored (the options page edits these): a portal's (none: the first slot's) patch over the global record. */
export async function loadUserSettings(slot?: SlotRef): Promise<Settings> {
  const [stored, patch] = await Promise.all([browser.storage.local.get(KEY), loadPortalPatch(slot)]);
  // The global record is completed first: a version 1 record's migration must not read the patch's choices as its defaults.
  const global = normalizeSettings(stored[KEY]);
  return Object.keys(patch).length ? normalizeSettings({ ...global, ...patch }) : global;
}

/** The settings in force: the user's, under the administrator's policy (lib/managed.ts), "as your portal counts" resolved. */
export async function loadSettings(slot?: SlotRef): Promise<SettingsInForce> {
  const { settings, portal } = await loadSettingsWithPolicy(slot);
  return inForce(settings, portal);
}

/** The way the portal's own counters say it counts, as last followed; null before the first check or where it does not say. */
export async function loadPortalWay(slot?: SlotRef): Promise<Way | null> {
  const key = keyOf(PORTAL_WAY_KEY, slot);
  const stored = (await browser.storage.local.get(key))[key] as { way?: Way } | undefined;
  const way = stored?.way;
  return way && (way.litRule === 'day' || way.litRule === 'lightTime') && (way.mode === 'item' || way.mode === 'activity') ? way : null;
}

/** The settings under the policy (choices, "portal" included), the policy and the portal's way, for the options page. */
export async function loadSettingsWithPolicy(slot?: SlotRef): Promise<{ settings: Settings; managed: ManagedSettings; portal: Way | null }> {
  const [user, managed, portal] = await Promise.all([loadUserSettings(slot), loadManaged(), loadPortalWay(slot)]);
  return { settings: withManaged(user, managed, (raw) => normalizeSettings(raw)), managed, portal };
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Stores a patch of the user's settings: the fields each portal has its own of
 * go to that portal's patch (the first slot's: the global record), the rest to
 * the global record. An edit changes the chosen portal only: another portal
 * that followed the first slot's value of a field keeps the value it had.
 */
function storeUserPatch(patch: Partial<Settings>, slot?: SlotRef): Promise<void> {
  // Two quick edits (the options page and a portal check, or two clicks) must not read the same record
  // and each write back only its own change.
  return withLock(SETTINGS_LOCK, () => writeUserPatch(patch, slot));
}

const SETTINGS_LOCK = 'counters-settings';

async function writeUserPatch(patch: Partial<Settings>, slot?: SlotRef): Promise<void> {
  const global = await loadUserSettings();
  const writes: Record<string, unknown> = {};
  if (isFirstSlot(slot)) {
    const next = normalizeSettings({ ...global, ...patch });
    const others = ((await readRegistry()) ?? []).filter((other) => !isFirstSlot(other));
    await Promise.all(
      others.map(async (other) => {
        const before = await loadPortalPatch(other);
        const kept = PORTAL_FIELDS.filter((field) => !(field in before) && !sameValue(global[field], next[field]));
        if (kept.length) writes[slotKey(PORTAL_SETTINGS_KEY, other)] = { ...before, ...Object.fromEntries(kept.map((field) => [field, global[field]])) };
      }),
    );
    writes[KEY] = next;
  } else {
    const { own, shared } = splitPatch(patch);
    if (Object.keys(own).length) {
      const before = await loadPortalPatch(slot);
      const merged = normalizeSettings({ ...global, ...before, ...own });
      writes[keyOf(PORTAL_SETTINGS_KEY, slot)] = { ...before, ...Object.fromEntries(Object.keys(own).map((field) => [field, merged[field as PortalField]])) };
    }
    if (Object.keys(shared).length) writes[KEY] = normalizeSettings({ ...global, ...shared });
  }
  await browser.storage.local.set(writes);
}

/** Saves a patch of the user's settings (per-portal fields: that portal's; none: the first slot's); resolves to that portal's settings in force. */
export async function saveSettings(patch: Partial<Settings>, slot?: SlotRef): Promise<SettingsInForce> {
  await storeUserPatch(patch, slot);
  return loadSettings(slot);
}

/**
 * Saves a patch of the user's settings for the options page; resolves to what
 * it shows: the choices under the policy ("As your portal counts" kept, not
 * resolved as in saveSettings), the policy and the portal's way.
 */
export async function saveSettingsWithPolicy(patch: Partial<Settings>, slot?: SlotRef): ReturnType<typeof loadSettingsWithPolicy> {
  await storeUserPatch(patch, slot);
  return loadSettingsWithPolicy(slot);
}

/**
 * Calls `listener` with the settings in force (the first slot's) when the user's settings (options page;
 * a portal's own patch included), the policy or a portal's way change.
 */
export function onSettingsChanged(listener: (settings: SettingsInForce) => void): () => void {
  const watched = [KEY, PORTAL_WAY_KEY, PORTAL_SETTINGS_KEY];
  const handler = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    const local = area === 'local' && Object.keys(changes).some((key) => watched.some((base) => key === base || key.startsWith(`${base} `)));
    if (local || area === 'managed' || (area === 'local' && MANAGED_LAST_KEY in changes)) {
      void loadSettings().then(listener, (error) => console.warn('settings', error));
    }
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}

const CHOSEN_PERSON_KEY = 'chosenPersonId';

/** The popup's Employee choice (chips follow it); null = the connected user. */
export async function loadChosenPerson(slot?: SlotRef): Promise<number | null> {
  const key = keyOf(CHOSEN_PERSON_KEY, slot);
  const stored = (await browser.storage.local.get(key))[key];
  return typeof stored === 'number' ? stored : null;
}

/** Remembered per portal: each portal's people are its own. */
export async function saveChosenPerson(personId: number, slot?: SlotRef): Promise<void> {
  await browser.storage.local.set({ [keyOf(CHOSEN_PERSON_KEY, slot)]: personId });
}

/** A disconnected portal's per-portal values go with it. */
export async function forgetSlotValues(slot: SlotRef): Promise<void> {
  // The popup's choice, the way the portal counts, its own settings (the first slot's are the global
  // record's and stay), the refused writes (background/actions.ts), the notifications' memory.
  const bases = [CHOSEN_PERSON_KEY, PORTAL_WAY_KEY, PORTAL_SETTINGS_KEY, 'writesRefused', 'notified'];
  await browser.storage.local.remove(bases.map((base) => keyOf(base, slot)));
}
