// Helpers for two connected portals (contract, "Several portals"): the badge
// title's line of a portal, the options page's connections, a popup opened
// while a portal tab is the active one, and the extension's records of a
// portal (its database and its storage keys).
import { type BrowserContext, expect, type Worker } from '@playwright/test';
import type { DemoPortal } from '../../../demo/server';
import { readBadge } from '../fixtures';
import type { OptionsPage } from './options';
import { PopupPage } from './popup';
import { signIn } from './portal';

/** HOST as the contract names a portal: its host, with `:port` when not the scheme's default. */
export const hostOf = (portal: Pick<DemoPortal, 'origin'>): string => new URL(portal.origin).host;

/** The badge title's line of one portal (`HOST: Incoming: N, Planned: M, …`); undefined when it has none. */
export function badgeLine(title: string, portal: Pick<DemoPortal, 'origin'>): string | undefined {
  return title.split('\n').find((line) => line.startsWith(`${hostOf(portal)}: `));
}

/** Waits until the badge title's line of this portal contains this text. */
export async function expectBadgeLine(worker: Worker, portal: DemoPortal, text: string | RegExp, timeout = 30_000): Promise<void> {
  const poll = expect.poll(async () => badgeLine((await readBadge(worker)).title, portal) ?? '', { timeout });
  await (typeof text === 'string' ? poll.toContain(text) : poll.toMatch(text));
}

/** `Incoming: N, Planned: M` of a portal's title line. */
export function countsOfLine(line: string | undefined): { incoming: number; planned: number } | null {
  const match = /Incoming: (\d+), Planned: (\d+)/.exec(line ?? '');
  return match ? { incoming: Number(match[1]), planned: Number(match[2]) } : null;
}

/**
 * Connects another portal on an options page that may list some already, by
 * webhook or with the browser's login (signed in first as this person), and
 * waits for its first full sync: `connected` connections listed afterwards.
 */
export async function connectAnother(
  options: OptionsPage,
  worker: Worker,
  portal: DemoPortal,
  how: { webhook: true } | { loginAs: string; context: BrowserContext },
  connected: number,
): Promise<void> {
  if ('webhook' in how) {
    await options.connect(portal.webhookUrl);
  } else {
    await signIn(how.context, portal.origin, how.loginAs);
    await options.connectLogin(portal.origin);
  }
  // The login's check takes a few requests: as in fixtures.ts, up to 30 s on a loaded machine.
  try {
    await expect(options.connectedAs(/Connected as/)).toHaveCount(connected, { timeout: 30_000 });
  } catch (error) {
    // Connect reads the policy first (storage.managed), which Chromium now and then never answers in a session.
    throw new Error(`${(error as Error).message}\nstorage.managed.get now: ${await managedAnswers(worker)}`);
  }
  if (connected === 1) {
    await expect.poll(async () => (await readBadge(worker)).title, { timeout: 30_000 }).toContain('Incoming:');
  } else {
    await expectBadgeLine(worker, portal, 'Incoming:');
  }
}

/** Whether the browser answers a read of the extension's policy within 3 s. */
export function managedAnswers(worker: Worker): Promise<string> {
  return worker.evaluate(() =>
    Promise.race([
      chrome.storage.managed.get(null).then(
        () => 'answered',
        (error: unknown) => `failed: ${error}`,
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer within 3 s'), 3000)),
    ]),
  );
}

/**
 * The popup opened as the toolbar's is: while a portal tab is the active one.
 * It loads in a background tab (the extension opens it), so the active tab is
 * still the portal's when the popup asks which portal to show.
 */
export async function openPopupOver(context: BrowserContext, worker: Worker, extensionId: string, portalTab: { bringToFront(): Promise<void> }): Promise<PopupPage> {
  await portalTab.bringToFront();
  const url = `chrome-extension://${extensionId}/popup.html`;
  const opened = context.waitForEvent('page', (page) => page.url() === url);
  await worker.evaluate((popupUrl) => chrome.tabs.create({ url: popupUrl, active: false }), url);
  return new PopupPage(await opened, extensionId);
}

/** What the extension keeps of a portal: its database's connection and counts, and the storage keys named. */
export interface PortalRecords {
  connected: boolean;
  activities: number;
  items: number;
  people: number;
  fullSyncAt: number | null;
}

/** Reads a database of the extension (in the service worker); all zero when it does not exist. */
export async function readRecords(worker: Worker, dbName: string): Promise<PortalRecords> {
  return worker.evaluate(async (name) => {
    const exists = (await indexedDB.databases()).some((d) => d.name === name);
    if (!exists) return { connected: false, activities: 0, items: 0, people: 0, fullSyncAt: null };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const ask = <T>(store: string, get: (s: IDBObjectStore) => IDBRequest) =>
      new Promise<T>((resolve, reject) => {
        const request = get(db.transaction(store, 'readonly').objectStore(store));
        request.onsuccess = () => resolve(request.result as T);
        request.onerror = () => reject(request.error);
      });
    try {
      const [connection, activities, items, people, sync] = await Promise.all([
        ask<unknown>('connection', (s) => s.get('current')),
        ask<number>('activities', (s) => s.count()),
        ask<number>('items', (s) => s.count()),
        ask<number>('people', (s) => s.count()),
        ask<{ fullSyncAt?: number | null } | undefined>('meta', (s) => s.get('sync')),
      ]);
      return { connected: connection !== undefined, activities, items, people, fullSyncAt: sync?.fullSyncAt ?? null };
    } finally {
      db.close();
    }
  }, dbName);
}

/** The extension's storage.local, keys and values. */
export async function readStorage(worker: Worker): Promise<Record<string, unknown>> {
  return worker.evaluate(() => chrome.storage.local.get(null));
}
