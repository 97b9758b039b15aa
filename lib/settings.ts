// Typed, versioned settings in storage.local. No secrets here: the webhook
// lives in IndexedDB only.
import { browser } from 'wxt/browser';
import { MIN_POLL_SECONDS } from './flavour';

export const SETTINGS_VERSION = 1;
const KEY = 'settings';

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
}

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  pollSeconds: 60,
  reconcileMinutes: 30,
  countedEntityTypes: null,
  enterpriseLimits: false,
};

export const MAX_POLL_SECONDS = 1800;

/** Completes and clamps stored settings (older or hand-edited ones included). */
export function normalizeSettings(raw: unknown, minPollSeconds = MIN_POLL_SECONDS): Settings {
  const r = raw && typeof raw === 'object' ? (raw as Partial<Settings>) : {};
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  const types = Array.isArray(r.countedEntityTypes)
    ? r.countedEntityTypes.filter((t): t is number => Number.isInteger(t) && t > 0)
    : null;
  return {
    version: SETTINGS_VERSION,
    pollSeconds: Math.min(MAX_POLL_SECONDS, Math.max(minPollSeconds, num(r.pollSeconds, DEFAULT_SETTINGS.pollSeconds))),
    reconcileMinutes: Math.min(24 * 60, Math.max(5, num(r.reconcileMinutes, DEFAULT_SETTINGS.reconcileMinutes))),
    countedEntityTypes: types?.length ? types : null,
    enterpriseLimits: r.enterpriseLimits === true,
  };
}

export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(KEY);
  return normalizeSettings(stored[KEY]);
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = normalizeSettings({ ...(await loadSettings()), ...patch });
  await browser.storage.local.set({ [KEY]: next });
  return next;
}

/** Calls `listener` when the settings change (from the options page). */
export function onSettingsChanged(listener: (settings: Settings) => void): () => void {
  const handler = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && KEY in changes) listener(normalizeSettings(changes[KEY].newValue));
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}
