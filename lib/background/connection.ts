// Background side of the options page's Connect / Disconnect.
import { parsePortalAddress } from '../bitrix/portal-address';
import { parseWebhookUrl } from '../bitrix/webhook';
import { checkLogin, checkWebhook, type ConnectFailure, type ConnectionView, type ConnectResult, viewOf } from '../connection';
import { type ConnectionMode, loadManaged, policyRefusal } from '../managed';
import { forgetSlotValues } from '../settings';
import { type ConnectionRecord, deleteDb, eraseAll, saveConnection } from '../store/db';
import { DB_NAME } from '../store/db-name';
import { addSlot, connectedPortals, dbOf, listSlots, removeSlot } from './portals';
import { forgetSessid, sessidStore } from './sessid';

/** Listeners that want to know when a portal's connection changed (badge, sync): its origin. */
type Listener = (origin: string) => void;
const listeners = new Set<Listener>();

export function onConnectionChanged(listener: Listener): void {
  listeners.add(listener);
}

/** Runs before a portal's connection is saved or erased: its sync stops and lets its in-flight run end. */
let beforeChange: (origin: string) => Promise<void> = async () => {};

export function setBeforeConnectionChange(hook: (origin: string) => Promise<void>): void {
  beforeChange = hook;
}

function changed(origin: string): void {
  for (const listener of listeners) listener(origin);
}

/** Every connected portal, in the order they were connected, without secrets. */
export async function getConnectionViews(): Promise<ConnectionView[]> {
  return (await connectedPortals()).map(({ connection }) => viewOf(connection));
}

/** Connects with a webhook; a failure keeps the connections there were. */
export async function connect(webhookUrl: string): Promise<ConnectResult> {
  const parsed = parseWebhookUrl(webhookUrl);
  const refused = parsed.ok ? await refusedByPolicy('webhook', parsed.webhook.origin) : null;
  if (refused) return refused;
  const checked = await checkWebhook(webhookUrl, Date.now());
  return checked.ok ? replaceWith(checked.record) : checked;
}

/** Connects with the browser's Bitrix24 login on this portal; a failure keeps the connections there were. */
export async function connectLogin(portalAddress: string): Promise<ConnectResult> {
  const parsed = parsePortalAddress(portalAddress);
  const refused = parsed.ok ? await refusedByPolicy('login', parsed.origin) : null;
  if (refused) return refused;
  const checked = await checkLogin(portalAddress, Date.now(), sessidStore);
  return checked.ok ? replaceWith(checked.record) : checked;
}

/** The administrator's policy names the way in and the portal: asked before the portal is. */
async function refusedByPolicy(mode: ConnectionMode, origin: string): Promise<ConnectFailure | null> {
  const refusal = policyRefusal(await loadManaged(), mode, origin);
  return refusal ? { ok: false, ...refusal } : null;
}

/**
 * A successful connection, either way, replaces the one of its origin (saveConnection erases the copy
 * when the user differs); other portals stay as they are.
 */
async function replaceWith(record: ConnectionRecord): Promise<ConnectResult> {
  await beforeChange(record.origin);
  try {
    const slot = await addSlot(record.origin);
    await saveConnection(await dbOf(slot), record);
  } finally {
    // Announced even after a failure to save: the sync stopped before it starts again from what is stored.
    changed(record.origin);
  }
  return { ok: true, connection: viewOf(record) };
}

/** Disconnects one portal (null: every one), erasing only its records. */
export async function disconnect(origin: string | null): Promise<void> {
  const slots = await listSlots();
  for (const slot of slots) {
    if (origin !== null && slot.origin !== origin) continue;
    await beforeChange(slot.origin);
    try {
      // The connection (its secret) and the copy go first, in one transaction, whatever happens next.
      await eraseAll(await dbOf(slot));
      await removeSlot(slot.origin);
      // The first slot's database stays (empty) for the next portal; another portal's goes, once the list no
      // longer names it: a reader of the list meanwhile (a badge paint, the popup) would open it anew.
      if (slot.dbName !== DB_NAME) await deleteDb(slot.dbName);
      await Promise.all([forgetSessid(slot.origin), forgetSlotValues(slot)]);
    } finally {
      changed(slot.origin);
    }
  }
}
