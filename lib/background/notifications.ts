// Desktop notifications (opt-in): one per new incoming activity, grouped when
// many arrive at once, and one when an activity lights up under rule light
// time; never for what was there at the first sync; quiet hours respected.
// Clicking opens the item on the portal.
import { browser } from 'wxt/browser';
import type { ListEntry } from '../counters';
import { itemUrl } from '../crm-links';
import { t } from '../i18n';
import { decideNotifications, GROUP_FROM, inQuietHours, type NotifyMemory } from '../notify';
import { loadSettings, onSettingsChanged } from '../settings';
import { DB_NAME } from '../store/db-name';
import { hostOf, slotKey } from '../store/portals';
import { activityKind } from '../views/activity-kind';
import { onConnectionChanged } from './connection';
import { connectedPortal, connectedPortals, listSlots, type PortalSlot, slotOf } from './portals';
import { openOnPortal } from './tabs';
import { getCounterIndex, onDataChanged } from './sync';

const MEMORY_KEY = 'notified';
const PREFIX = 'b24c:';
const OTHER_PREFIX = 'b24c@';

/** A notification's ID names its portal: `b24c:REST` for the first slot (as before several portals), `b24c@ORIGIN REST` for the others. */
function prefixOf(slot: PortalSlot): string {
  return slot.dbName === DB_NAME ? PREFIX : `${OTHER_PREFIX}${slot.origin} `;
}

export function setupNotifications(): void {
  browser.notifications?.onClicked.addListener((id) => void notificationClicked(id));
  // Only when the data or the clock moved the lists: an idle poll's status-only announcement builds no lists.
  onDataChanged((what) => {
    if (what.data) void check(what.origin).catch((error) => console.warn('notifications', error));
  });
  // Turned on: what is there now is remembered at once, so the next change is announced.
  onSettingsChanged((settings) => {
    if (!settings.notifications) return;
    void listSlots().then((slots) => {
      for (const slot of slots) void check(slot.origin).catch((error) => console.warn('notifications', error));
    });
  });
  onConnectionChanged((origin) => {
    void slotOf(origin).then((slot) => slot && browser.storage.local.remove(slotKey(MEMORY_KEY, slot)));
    void clearOrphans().catch((error) => console.warn('notifications', error));
  });
}

/**
 * Clears the notifications of portals no longer connected: a click would open an item of a portal that is
 * gone (or, for the first slot's `b24c:` IDs, of the next portal to take that slot).
 */
async function clearOrphans(): Promise<void> {
  if (!browser.notifications) return;
  const [shown, slots] = await Promise.all([browser.notifications.getAll(), listSlots()]);
  const firstTaken = slots.some((slot) => slot.dbName === DB_NAME);
  const origins = new Set(slots.map((slot) => slot.origin));
  for (const id of Object.keys(shown)) {
    const orphan = id.startsWith(PREFIX) ? !firstTaken : id.startsWith(OTHER_PREFIX) && !origins.has(id.slice(OTHER_PREFIX.length, id.indexOf(' ')));
    if (orphan) await browser.notifications.clear(id);
  }
}

/** Opens the item a notification names (or the popup's list for a summary) and clears it. */
export async function notificationClicked(id: string): Promise<void> {
  let origin: string | null = null;
  let rest: string;
  if (id.startsWith(PREFIX)) rest = id.slice(PREFIX.length);
  else if (id.startsWith(OTHER_PREFIX)) {
    const space = id.indexOf(' ');
    if (space < 0) return;
    origin = id.slice(OTHER_PREFIX.length, space);
    rest = id.slice(space + 1);
  } else return;
  await browser.notifications.clear(id);
  const portals = await connectedPortals();
  const portal = origin === null ? portals.find(({ slot }) => slot.dbName === DB_NAME) : portals.find(({ slot }) => slot.origin === origin);
  if (!portal) return;
  const { connection } = portal;
  const [entityTypeId, entityId] = rest.split(':').map(Number);
  const url =
    rest === 'summary' || !entityTypeId || !entityId
      ? `${connection.origin}/crm/deal/activity/`
      : itemUrl(connection.origin, { entityTypeId, entityId });
  await openOnPortal(connection.origin, url);
}

/** Per portal: one check at a time. */
const checking = new Map<string, Promise<void>>();

function check(origin: string): Promise<void> {
  let running = checking.get(origin);
  if (!running) {
    running = run(origin).finally(() => checking.delete(origin));
    checking.set(origin, running);
  }
  return running;
}

/** Whether this worker has already dropped the memory of a user who turned notifications off. */
const forgotten = new Set<string>();

async function run(origin: string): Promise<void> {
  const slots = await listSlots();
  const slot = slots.find((s) => s.origin === origin);
  if (!slot) return;
  const memoryKey = slotKey(MEMORY_KEY, slot);
  const settings = await loadSettings(slot);
  if (!settings.notifications || !browser.notifications) {
    // Off: no lists are built (they are the costliest part of a data change on a big copy), and the
    // memory goes, so that turning them on starts from what is there then, not from an old list.
    if (!forgotten.has(memoryKey)) await browser.storage.local.remove(memoryKey);
    forgotten.add(memoryKey);
    return;
  }
  forgotten.delete(memoryKey);
  const portal = await connectedPortal(origin);
  const index = await getCounterIndex(origin);
  if (!portal || !index) return;
  const memory = ((await browser.storage.local.get(memoryKey))[memoryKey] as NotifyMemory | undefined) ?? null;
  const now = Date.now();
  const decision = decideNotifications(index.lists(portal.connection.userId, now), memory, settings.litRule === 'lightTime');
  await browser.storage.local.set({ [memoryKey]: decision.memory });
  const local = new Date(now);
  if (inQuietHours(local.getHours() * 60 + local.getMinutes(), settings.quietFrom, settings.quietTo)) return;
  const prefix = prefixOf(slot);
  // With several portals, each notification names its portal.
  const host = slots.length > 1 ? `${hostOf(origin)}\n` : '';
  const idOf = (e: ListEntry) => `${prefix}${e.item.entityTypeId}:${e.item.id}:${e.activity.id}`;
  const lineOf = (e: ListEntry) => `${host}${e.item.title}\n${e.activity.subject}`.slice(0, 300);
  if (decision.incoming.length >= GROUP_FROM) {
    await create(`${prefix}summary`, t('notifyManyTitle', [String(decision.incoming.length)]), `${host}${summaryOf(decision.incoming)}`.slice(0, 300));
  } else {
    for (const e of decision.incoming) await create(idOf(e), t(`kind_${activityKind(e.activity)}`), lineOf(e));
  }
  for (const e of decision.lit.slice(0, GROUP_FROM)) await create(idOf(e), t('notifyLitTitle'), lineOf(e));
}

const summaryOf = (entries: ListEntry[]) =>
  entries
    .slice(0, 5)
    .map((e) => e.item.title)
    .join(', ')
    .slice(0, 300);

async function create(id: string, title: string, message: string): Promise<void> {
  await browser.notifications.create(id, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title,
    message,
  });
}
