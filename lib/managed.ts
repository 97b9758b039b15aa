// Settings an administrator sets by browser policy (storage.managed): Chrome's
// and Edge's `3rdparty` extension policy, validated against MANAGED_SCHEMA
// (the manifest's storage.managed_schema), and Firefox's policies.json
// `3rdparty`, which nothing validates before us. A policy outranks the user,
// the user outranks the portal (contract, "Agreement with the portal's own
// counters"); user settings apply where the policy is silent.
import { browser } from 'wxt/browser';
import { parsePortalAddress } from './bitrix/portal-address';
import type { CounterMode, LitRule } from './counters';
import type { Settings } from './settings';

export { MANAGED_SCHEMA } from './managed-schema';

export type ConnectionMode = 'login' | 'webhook';

/** What a policy may set. A webhook URL never is one: it is a secret, and it names one person. */
export interface ManagedSettings {
  /** The portal's origin: the only portal this browser may connect. */
  portalAddress?: string;
  /** The only way to connect. With a portal address and not `webhook`, a signed-in browser connects by itself. */
  connectionMode?: ConnectionMode;
  /** The shortest poll interval, seconds: the user may choose longer ones. */
  minPollSeconds?: number;
  notifications?: boolean;
  litRule?: LitRule;
  lightOffsetMinutes?: number;
  counterMode?: CounterMode;
  countedEntityTypes?: number[];
}

/**
 * Reads a policy's values into ManagedSettings. What does not fit is left
 * out, as Chromium leaves out what does not match the schema: that setting is
 * then the user's.
 */
export function parseManaged(raw: unknown): ManagedSettings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const managed: ManagedSettings = {};
  if (typeof r.portalAddress === 'string') {
    const parsed = parsePortalAddress(r.portalAddress);
    if (parsed.ok) managed.portalAddress = parsed.origin;
  }
  if (r.connectionMode === 'login' || r.connectionMode === 'webhook') managed.connectionMode = r.connectionMode;
  if (isWhole(r.minPollSeconds) && r.minPollSeconds > 0) managed.minPollSeconds = r.minPollSeconds;
  if (typeof r.notifications === 'boolean') managed.notifications = r.notifications;
  if (r.litRule === 'day' || r.litRule === 'lightTime') managed.litRule = r.litRule;
  if (isWhole(r.lightOffsetMinutes) && r.lightOffsetMinutes >= 0) managed.lightOffsetMinutes = r.lightOffsetMinutes;
  if (r.counterMode === 'item' || r.counterMode === 'activity') managed.counterMode = r.counterMode;
  if (Array.isArray(r.countedEntityTypes)) {
    const types = [...new Set(r.countedEntityTypes.filter((t): t is number => isWhole(t) && t > 0))];
    if (types.length) managed.countedEntityTypes = types;
  }
  return managed;
}

const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/** The settings the policy holds: the options page shows them locked. */
export type LockedSetting = 'notifications' | 'litRule' | 'lightOffsetMinutes' | 'counterMode' | 'countedEntityTypes';

export function isLocked(managed: ManagedSettings, setting: LockedSetting): boolean {
  return managed[setting] !== undefined;
}

/**
 * The settings in force: the user's, with the policy's values over them and
 * the poll interval raised to the policy's minimum. `normalize` clamps the
 * result as any stored settings are (store builds: 30 s to 30 minutes).
 */
export function withManaged(user: Settings, managed: ManagedSettings, normalize: (raw: unknown) => Settings): Settings {
  return normalize({
    ...user,
    pollSeconds: Math.max(user.pollSeconds, managed.minPollSeconds ?? 0),
    ...(managed.notifications !== undefined ? { notifications: managed.notifications } : {}),
    ...(managed.litRule !== undefined ? { litRule: managed.litRule } : {}),
    ...(managed.lightOffsetMinutes !== undefined ? { lightOffsetMinutes: managed.lightOffsetMinutes } : {}),
    ...(managed.counterMode !== undefined ? { counterMode: managed.counterMode } : {}),
    ...(managed.countedEntityTypes !== undefined ? { countedEntityTypes: managed.countedEntityTypes } : {}),
  });
}

/** Why the policy refuses a connection, or null when it allows it. */
export function policyRefusal(
  managed: ManagedSettings,
  mode: ConnectionMode,
  origin: string,
): { problem: 'policyMode' | 'policyPortal'; origin?: string } | null {
  if (managed.connectionMode && managed.connectionMode !== mode) return { problem: 'policyMode' };
  if (managed.portalAddress && managed.portalAddress !== origin) return { problem: 'policyPortal', origin: managed.portalAddress };
  return null;
}

/** The portal a signed-in browser connects to by itself: a managed address, unless the policy asks for webhooks. */
export function autoConnectOrigin(managed: ManagedSettings): string | null {
  return managed.portalAddress && managed.connectionMode !== 'webhook' ? managed.portalAddress : null;
}

/**
 * How long a read waits for the browser's answer before it takes the last policy seen. Chromium's
 * first answer after a start takes about 3 s here (its policy service starting): well within.
 */
export const MANAGED_WAIT_MS = 10_000;
/** storage.local: the last policy the browser answered (only once one was seen; no secrets in it). */
export const MANAGED_LAST_KEY = 'managedLast';

interface ManagedRead {
  answer: Promise<ManagedSettings>;
  /** A read waited its MANAGED_WAIT_MS for this answer in vain: the next ones do not wait again. */
  overdue: boolean;
}

/** The browser's read in flight, shared by every caller until it answers. */
let inFlight: ManagedRead | null = null;

async function askBrowser(): Promise<ManagedSettings> {
  let managed: ManagedSettings;
  try {
    managed = parseManaged(await browser.storage.managed.get(null));
  } catch (error) {
    // No policy for this extension: Firefox without a policies.json `3rdparty` entry says so by rejecting.
    if (!(error instanceof Error) || !/managed/i.test(error.message)) console.info('[managed]', error);
    managed = {};
  }
  await remember(managed).catch((error) => console.warn('[managed] could not keep the policy', error));
  return managed;
}

/** The answer this context last found kept (or kept itself), as JSON: the same answer again costs no storage read. */
let confirmed: string | null = null;
let watchingKept = false;

/** Keeps the answer when it differs from the one kept (no write for a browser that never had a policy). */
async function remember(managed: ManagedSettings): Promise<void> {
  const json = JSON.stringify(managed);
  if (json === confirmed) return;
  if (!watchingKept) {
    // Another context (the options page, the worker) may keep a newer answer: then this one reads it again.
    watchingKept = true;
    browser.storage.onChanged.addListener((changes, area) => {
      if (area === 'local' && MANAGED_LAST_KEY in changes) confirmed = null;
    });
  }
  const kept = (await browser.storage.local.get(MANAGED_LAST_KEY))[MANAGED_LAST_KEY];
  const same = kept === undefined ? Object.keys(managed).length === 0 : JSON.stringify(kept) === json;
  if (!same) await browser.storage.local.set({ [MANAGED_LAST_KEY]: managed });
  confirmed = json;
}

async function lastSeen(): Promise<ManagedSettings> {
  return parseManaged((await browser.storage.local.get(MANAGED_LAST_KEY))[MANAGED_LAST_KEY] ?? {});
}

/**
 * The policy in force; none when there is none. Chromium and Edge sometimes
 * never answer storage.managed.get (Edge's extensions issue #299; fresh
 * Chromium profiles in our tests): after `waitMs` the last policy seen is used
 * (kept in storage.local), and while that read is still unanswered the next
 * ones use it at once. When the answer comes and differs, it is kept, and
 * onManagedChanged/onSettingsChanged tell everyone.
 */
export async function loadManaged(waitMs = MANAGED_WAIT_MS): Promise<ManagedSettings> {
  if (!inFlight) {
    const read: ManagedRead = { answer: askBrowser(), overdue: false };
    inFlight = read;
    void read.answer.finally(() => {
      if (inFlight === read) inFlight = null;
    });
  }
  const read = inFlight;
  if (read.overdue) return lastSeen();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  const answer = await Promise.race([read.answer, late]).finally(() => clearTimeout(timer));
  if (answer) return answer;
  read.overdue = true;
  console.warn(`[managed] the browser has not answered storage.managed in ${waitMs} ms: the last policy seen applies until it does`);
  return lastSeen();
}

/** For tests: forgets a read that never answered, and what was found kept. */
export function forgetManagedRead(): void {
  inFlight = null;
  confirmed = null;
}

/** Calls `listener` when the policy changes (Chromium re-reads policy files while it runs), or a late answer brings another. */
export function onManagedChanged(listener: () => void): () => void {
  const handler = (changes: Record<string, unknown>, area: string) => {
    if (area === 'managed' || (area === 'local' && MANAGED_LAST_KEY in changes)) listener();
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}
