// Answers the popup and the content scripts from the counter index, and tells
// them when to ask again. Nothing here carries the webhook secret.
import { browser, type Browser } from 'wxt/browser';
import { pageKind } from '../crm-links';
import { type ItemRef, itemKey } from '../domain';
import { t } from '../i18n';
import { type ChipsAnswer, onMessage, sendMessage } from '../messaging';
import { loadChosenPerson, loadSettings, saveChosenPerson } from '../settings';
import type { ConnectionRecord } from '../store/db';
import { hostOf } from '../store/portals';
import { getMeta } from '../store/sync-store';
import { type CounterIndex, dayWindow } from '../counters';
import { chipDetail, chipView } from '../views/chips';
import { buildPopupView, type PopupPortal, type PopupView } from '../views/popup';
import { completeActivity, postponeActivity, writesRefused } from './actions';
import { onConnectionChanged } from './connection';
import { managedPortalPageLoaded } from './managed-connect';
import { connectedPortal, connectedPortals, listSlots, slotOf } from './portals';
import { openOnPortal, portalTabs } from './tabs';
import { getCounterIndex, getPeople, getSyncStatus, lookupItems, onDataChanged, portalPageLoaded, syncNow } from './sync';

const MAX_REFS = 5000;

export function setupViews(): void {
  onMessage('getPopup', async ({ data }) => {
    const origin = data.origin ?? (await defaultPopupOrigin());
    // Every portal's badge number may be old: each syncs if its data is (only then).
    void syncNow('popup');
    return popupView(origin, data.personId);
  });
  onMessage('choosePerson', ({ data }) => choosePerson(data.origin, data.personId));
  onMessage('refresh', ({ data }) => syncNow('refresh', data ?? undefined));
  onMessage('openItem', ({ data }) => openItem(data));
  onMessage('completeActivity', ({ data }) => completeActivity(data.activityId, data.origin));
  onMessage('postponeActivity', ({ data }) => postponeActivity(data.activityId, data.choice, data.origin));
  onMessage('chipContext', async ({ sender }) => {
    if (sender.url && !sender.frameId) {
      void portalPageLoaded(new URL(sender.url).origin);
      managedPortalPageLoaded(new URL(sender.url).origin);
    }
    return { enabled: (await chipSource(sender)) !== null };
  });
  onMessage('getChips', async ({ data, sender }) => chips(await chipSource(sender), data.refs));
  onMessage('portalFocused', async ({ sender }) => {
    const source = await chipSource(sender);
    if (source !== null) void syncNow('focus', source.connection.origin);
  });
  onDataChanged((what) => void broadcast(what.origin, what.data));
  onConnectionChanged((origin) => void broadcast(origin));
}

async function choosePerson(origin: string, personId: number): Promise<void> {
  if (!Number.isInteger(personId) || personId <= 0) return;
  const slot = await slotOf(origin);
  if (!slot) return;
  await saveChosenPerson(personId, slot);
  await broadcast(origin);
}

/** The popup's first portal: the active tab's, when connected; else the first connected (null: none). */
async function defaultPopupOrigin(): Promise<string | null> {
  const slots = await listSlots();
  if (slots.length < 2) return slots[0]?.origin ?? null;
  const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true }).catch(() => []);
  let origin: string | null = null;
  try {
    origin = tab?.url ? new URL(tab.url).origin : null;
  } catch {
    origin = null;
  }
  return slots.find((slot) => slot.origin === origin)?.origin ?? slots[0].origin;
}

/** Each connected portal with its connected user's All, for the Portal select. */
async function popupPortals(): Promise<PopupPortal[]> {
  const now = Date.now();
  return Promise.all(
    (await connectedPortals()).map(async ({ slot, connection }) => {
      const index = await getCounterIndex(slot.origin).catch(() => null);
      return { origin: slot.origin, host: hostOf(slot.origin), all: index ? index.totals(connection.userId, now).all : null };
    }),
  );
}

/** The popup of a portal (null or not connected: the first connected). */
export async function popupView(origin: string | null, personId: number | null): Promise<PopupView> {
  const portal = (origin === null ? null : await connectedPortal(origin)) ?? (await connectedPortals())[0] ?? null;
  const shown = portal?.slot.origin;
  const [portals, status, index, people, chosen, refused, dealCategoryNames] = await Promise.all([
    popupPortals(),
    getSyncStatus(shown),
    portal ? getCounterIndex(shown) : null,
    portal ? getPeople(shown) : [],
    portal ? loadChosenPerson(portal.slot) : null,
    portal ? writesRefused(portal.slot) : false,
    portal ? getMeta(portal.db, 'dealCategories') : null,
  ]);
  const connection = portal?.connection ?? null;
  return buildPopupView({
    portals,
    status,
    connection: connection && { origin: connection.origin, userId: connection.userId, userName: connection.userName },
    index,
    people,
    chosenId: personId ?? chosen,
    browserZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    writesRefused: refused,
    dealCategoryNames: dealCategoryNames ?? {},
    now: Date.now(),
  });
}

/** What a page's chips are drawn from. */
interface ChipSource {
  connection: ConnectionRecord;
  index: CounterIndex;
  /** The popup's Employee choice for this portal (null: none made). */
  chosen: number | null;
}

/**
 * The chips' sources when the sender is a page of a connected portal (its
 * origin exactly: two ports are two portals) whose kind has chips on and
 * whose data is ready; else null. Read in one go: a page that loads more rows
 * asks for every batch of links.
 */
async function chipSource(sender: Browser.runtime.MessageSender): Promise<ChipSource | null> {
  if (!sender.url) return null;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  const portal = await connectedPortal(url.origin);
  if (!portal) return null;
  const [settings, index, chosen] = await Promise.all([loadSettings(portal.slot), getCounterIndex(url.origin), loadChosenPerson(portal.slot)]);
  if (!settings.chips[pageKind(url.pathname)]) return null;
  return index ? { connection: portal.connection, index, chosen } : null;
}

async function chips(source: ChipSource | null, refs: ItemRef[]): Promise<ChipsAnswer> {
  if (!source) return { enabled: false, chips: [] };
  const { index } = source;
  const viewer = viewerOf(source);
  const now = Date.now();
  const zone = index.zoneOf(viewer);
  const window = dayWindow(zone, now, index.rules.weekStart);
  const time = new Intl.DateTimeFormat(browser.i18n.getUILanguage(), {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: zone,
  });
  // A page of many links repeats the same few sentences: each is translated once per answer.
  const words = new Map<string, string>();
  const say = (key: string, substitutions?: string[]) => {
    const id = substitutions ? `${key}\u0000${substitutions.join('\u0000')}` : key;
    let text = words.get(id);
    if (text === undefined) {
      text = t(key, substitutions);
      words.set(id, text);
    }
    return text;
  };
  const counted = new Set(index.rules.countedEntityTypes);
  const unknown = refs.filter((ref) => counted.has(ref.entityTypeId) && !index.knows(ref));
  if (unknown.length) queueLookup(source.connection.origin, unknown);
  return {
    enabled: true,
    chips: refs.slice(0, MAX_REFS).map((ref) => {
      const state = index.chip(ref, viewer, now);
      if (!state) return null;
      let activities = index.openActivitiesOf(ref);
      // Activity mode counts only the viewer's own activities on the viewer's items.
      if (index.rules.mode === 'activity' && state.mine) activities = activities.filter((a) => a.responsibleId === viewer);
      return chipView(ref, state, chipDetail(activities, now, window, index.rules), say, (ms) => time.format(ms));
    }),
  };
}

const LOOKUP_DELAY_MS = 150;
/** Refs asked for recently (found or not), by portal, so a page that shows items the webhook cannot see does not ask again and again. */
const lookedUp = new Map<string, number>();
const LOOKUP_AGAIN_MS = 10 * 60_000;
/** Per portal: the refs waiting for the next look-up. */
let lookupQueue = new Map<string, Map<string, ItemRef>>();
let lookupTimer: ReturnType<typeof setTimeout> | null = null;

/** Open items a page shows that its portal's copy lacks: looked up together, in one batched request per portal. */
function queueLookup(origin: string, refs: ItemRef[]): void {
  const now = Date.now();
  for (const ref of refs) {
    const key = `${origin} ${itemKey(ref)}`;
    if ((lookedUp.get(key) ?? 0) > now - LOOKUP_AGAIN_MS) continue;
    if (lookedUp.size > 50_000) for (const [k, at] of lookedUp) if (at <= now - LOOKUP_AGAIN_MS) lookedUp.delete(k);
    lookedUp.set(key, now);
    const queue = lookupQueue.get(origin) ?? new Map<string, ItemRef>();
    lookupQueue.set(origin, queue);
    queue.set(itemKey(ref), ref);
  }
  if (lookupQueue.size === 0 || lookupTimer) return;
  lookupTimer = setTimeout(() => {
    lookupTimer = null;
    const batches = lookupQueue;
    lookupQueue = new Map();
    for (const [portal, queue] of batches) {
      void lookupItems([...queue.values()], portal).catch((error) => console.warn('item look-up', error));
    }
  }, LOOKUP_DELAY_MS);
}

/** The person the chips show the portal as: the popup's choice, if still selectable. */
function viewerOf({ connection, index, chosen }: ChipSource): number {
  const userId = connection.userId;
  if (chosen === null || chosen === userId) return userId;
  return index.responsibleIds().includes(chosen) ? chosen : userId;
}

/** Opens an item's page on its portal (a connected one only). */
async function openItem(url: string): Promise<void> {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return;
  }
  if (await slotOf(origin)) await openOnPortal(origin, url);
}

/** Tells extension pages (the popup's status line) and, when the data changed, the portal's tabs (their chips). */
async function broadcast(origin: string, tabsToo = true): Promise<void> {
  await sendMessage('chipsChanged', undefined).catch(() => undefined);
  if (!tabsToo) return;
  const tabs = await portalTabs(origin);
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined ? undefined : sendMessage('chipsChanged', undefined, tab.id).catch(() => undefined),
    ),
  );
}
