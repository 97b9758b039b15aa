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
import { getDb, loadConnection } from '../store/db';
import { activityKind } from '../views/activity-kind';
import { onConnectionChanged } from './connection';
import { openOnPortal } from './tabs';
import { getCounterIndex, onDataChanged } from './sync';

const MEMORY_KEY = 'notified';
const PREFIX = 'b24c:';
const SUMMARY = `${PREFIX}summary`;

export function setupNotifications(): void {
  browser.notifications?.onClicked.addListener((id) => void notificationClicked(id));
  // Only when the data or the clock moved the lists: an idle poll's status-only announcement builds no lists.
  onDataChanged((what) => {
    if (what.data) void check().catch((error) => console.warn('notifications', error));
  });
  // Turned on: what is there now is remembered at once, so the next change is announced.
  onSettingsChanged((settings) => {
    if (settings.notifications) void check().catch((error) => console.warn('notifications', error));
  });
  onConnectionChanged(() => void browser.storage.local.remove(MEMORY_KEY));
}

/** Opens the item a notification names (or the popup's list for a summary) and clears it. */
export async function notificationClicked(id: string): Promise<void> {
  if (!id.startsWith(PREFIX)) return;
  await browser.notifications.clear(id);
  const connection = await loadConnection(await getDb());
  if (!connection) return;
  const [entityTypeId, entityId] = id.slice(PREFIX.length).split(':').map(Number);
  const url =
    id === SUMMARY || !entityTypeId || !entityId
      ? `${connection.origin}/crm/deal/activity/`
      : itemUrl(connection.origin, { entityTypeId, entityId });
  await openOnPortal(connection.origin, url);
}

let checking: Promise<void> | null = null;

function check(): Promise<void> {
  checking ??= run().finally(() => {
    checking = null;
  });
  return checking;
}

/** Whether this worker has already dropped the memory of a user who turned notifications off. */
let forgotten = false;

async function run(): Promise<void> {
  const settings = await loadSettings();
  if (!settings.notifications || !browser.notifications) {
    // Off: no lists are built (they are the costliest part of a data change on a big copy), and the
    // memory goes, so that turning them on starts from what is there then, not from an old list.
    if (!forgotten) await browser.storage.local.remove(MEMORY_KEY);
    forgotten = true;
    return;
  }
  forgotten = false;
  const connection = await loadConnection(await getDb());
  const index = await getCounterIndex();
  if (!connection || !index) return;
  const memory = ((await browser.storage.local.get(MEMORY_KEY))[MEMORY_KEY] as NotifyMemory | undefined) ?? null;
  const now = Date.now();
  const decision = decideNotifications(index.lists(connection.userId, now), memory, settings.litRule === 'lightTime');
  await browser.storage.local.set({ [MEMORY_KEY]: decision.memory });
  const local = new Date(now);
  if (inQuietHours(local.getHours() * 60 + local.getMinutes(), settings.quietFrom, settings.quietTo)) return;
  if (decision.incoming.length >= GROUP_FROM) {
    await create(SUMMARY, t('notifyManyTitle', [String(decision.incoming.length)]), summaryOf(decision.incoming));
  } else {
    for (const e of decision.incoming) await create(idOf(e), t(`kind_${activityKind(e.activity)}`), lineOf(e));
  }
  for (const e of decision.lit.slice(0, GROUP_FROM)) await create(idOf(e), t('notifyLitTitle'), lineOf(e));
}

const idOf = (e: ListEntry) => `${PREFIX}${e.item.entityTypeId}:${e.item.id}:${e.activity.id}`;
const lineOf = (e: ListEntry) => `${e.item.title}\n${e.activity.subject}`.slice(0, 300);
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
