// Answers the popup and the content scripts from the counter index, and tells
// them when to ask again. Nothing here carries the webhook secret.
import { browser, type Browser } from 'wxt/browser';
import { pageKind } from '../crm-links';
import { type ItemRef, itemKey } from '../domain';
import { t } from '../i18n';
import { type ChipsAnswer, onMessage, sendMessage } from '../messaging';
import { loadChosenPerson, loadSettings, saveChosenPerson } from '../settings';
import { type ConnectionRecord, getDb, loadConnection } from '../store/db';
import { getMeta } from '../store/sync-store';
import { type CounterIndex, dayWindow } from '../counters';
import { chipDetail, chipView } from '../views/chips';
import { buildPopupView, type PopupView } from '../views/popup';
import { completeActivity, postponeActivity, writesRefused } from './actions';
import { onConnectionChanged } from './connection';
import { managedPortalPageLoaded } from './managed-connect';
import { openOnPortal, portalTabs } from './tabs';
import { getCounterIndex, getPeople, getSyncStatus, lookupItems, onDataChanged, portalPageLoaded, syncNow } from './sync';

const MAX_REFS = 5000;

export function setupViews(): void {
  onMessage('getPopup', ({ data }) => {
    void syncNow('popup');
    return popupView(data.personId);
  });
  onMessage('choosePerson', ({ data }) => choosePerson(data));
  onMessage('refresh', () => syncNow('refresh'));
  onMessage('openItem', ({ data }) => openItem(data));
  onMessage('completeActivity', ({ data }) => completeActivity(data));
  onMessage('postponeActivity', ({ data }) => postponeActivity(data.activityId, data.choice));
  onMessage('chipContext', async ({ sender }) => {
    if (sender.url && !sender.frameId) {
      void portalPageLoaded(new URL(sender.url).origin);
      managedPortalPageLoaded(new URL(sender.url).origin);
    }
    return { enabled: (await chipSource(sender)) !== null };
  });
  onMessage('getChips', async ({ data, sender }) => chips(await chipSource(sender), data.refs));
  onMessage('portalFocused', async ({ sender }) => {
    if ((await chipSource(sender)) !== null) void syncNow('focus');
  });
  onDataChanged((what) => void broadcast(what.data));
  onConnectionChanged(() => void broadcast());
}

async function choosePerson(personId: number): Promise<void> {
  if (!Number.isInteger(personId) || personId <= 0) return;
  await saveChosenPerson(personId);
  await broadcast();
}

export async function popupView(personId: number | null): Promise<PopupView> {
  const db = await getDb();
  const [connection, status, index, people, chosen, refused, dealCategoryNames] = await Promise.all([
    loadConnection(db),
    getSyncStatus(),
    getCounterIndex(),
    getPeople(),
    loadChosenPerson(),
    writesRefused(),
    getMeta(db, 'dealCategories'),
  ]);
  return buildPopupView({
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
  /** The popup's Employee choice (null: none made). */
  chosen: number | null;
}

/**
 * The chips' sources when the sender is a page of the connected portal whose
 * kind has chips on and data is ready; else null. Read in one go: a page that
 * loads more rows asks for every batch of links.
 */
async function chipSource(sender: Browser.runtime.MessageSender): Promise<ChipSource | null> {
  if (!sender.url) return null;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  const [connection, settings, index, chosen] = await Promise.all([
    getDb().then(loadConnection),
    loadSettings(),
    getCounterIndex(),
    loadChosenPerson(),
  ]);
  if (!connection || url.origin !== connection.origin) return null;
  if (!settings.chips[pageKind(url.pathname)]) return null;
  return index ? { connection, index, chosen } : null;
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
  if (unknown.length) queueLookup(unknown);
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
/** Refs asked for recently (found or not), so a page that shows items the webhook cannot see does not ask again and again. */
const lookedUp = new Map<string, number>();
const LOOKUP_AGAIN_MS = 10 * 60_000;
let lookupQueue = new Map<string, ItemRef>();
let lookupTimer: ReturnType<typeof setTimeout> | null = null;

/** Open items a page shows that the copy lacks: looked up together, in one batched request. */
function queueLookup(refs: ItemRef[]): void {
  const now = Date.now();
  for (const ref of refs) {
    const key = itemKey(ref);
    if ((lookedUp.get(key) ?? 0) > now - LOOKUP_AGAIN_MS) continue;
    if (lookedUp.size > 50_000) for (const [k, at] of lookedUp) if (at <= now - LOOKUP_AGAIN_MS) lookedUp.delete(k);
    lookedUp.set(key, now);
    lookupQueue.set(key, ref);
  }
  if (lookupQueue.size === 0 || lookupTimer) return;
  lookupTimer = setTimeout(() => {
    lookupTimer = null;
    const batch = [...lookupQueue.values()];
    lookupQueue = new Map();
    void lookupItems(batch).catch((error) => console.warn('item look-up', error));
  }, LOOKUP_DELAY_MS);
}

/** The person the chips show the portal as: the popup's choice, if still selectable. */
function viewerOf({ connection, index, chosen }: ChipSource): number {
  const userId = connection.userId;
  if (chosen === null || chosen === userId) return userId;
  return index.responsibleIds().includes(chosen) ? chosen : userId;
}

async function openItem(url: string): Promise<void> {
  const connection = await loadConnection(await getDb());
  if (connection) await openOnPortal(connection.origin, url);
}

/** Tells extension pages (the popup's status line) and, when the data changed, the portal's tabs (their chips). */
async function broadcast(tabsToo = true): Promise<void> {
  await sendMessage('chipsChanged', undefined).catch(() => undefined);
  if (!tabsToo) return;
  const connection = await loadConnection(await getDb());
  if (!connection) return;
  const tabs = await portalTabs(connection.origin);
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined ? undefined : sendMessage('chipsChanged', undefined, tab.id).catch(() => undefined),
    ),
  );
}
