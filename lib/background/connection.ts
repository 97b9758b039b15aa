// Background side of the options page's Connect / Disconnect.
import { parsePortalAddress } from '../bitrix/portal-address';
import { parseWebhookUrl } from '../bitrix/webhook';
import { checkLogin, checkWebhook, type ConnectFailure, type ConnectResult, viewOf } from '../connection';
import { type ConnectionMode, loadManaged, policyRefusal } from '../managed';
import { type ConnectionRecord, eraseAll, getDb, loadConnection, saveConnection } from '../store/db';
import { forgetSessids, sessidStore } from './sessid';

/** Listeners that want to know when the connection changed (badge, sync). */
type Listener = () => void;
const listeners = new Set<Listener>();

export function onConnectionChanged(listener: Listener): void {
  listeners.add(listener);
}

/** Runs before a connection is saved or erased: the sync stops and lets its in-flight run end. */
let beforeChange: () => Promise<void> = async () => {};

export function setBeforeConnectionChange(hook: () => Promise<void>): void {
  beforeChange = hook;
}

function changed(): void {
  for (const listener of listeners) listener();
}

export async function getConnectionView() {
  const record = await loadConnection(await getDb());
  return record ? viewOf(record) : null;
}

/** Connects with a webhook; a failure keeps the connection there was. */
export async function connect(webhookUrl: string): Promise<ConnectResult> {
  const parsed = parseWebhookUrl(webhookUrl);
  const refused = parsed.ok ? await refusedByPolicy('webhook', parsed.webhook.origin) : null;
  if (refused) return refused;
  const checked = await checkWebhook(webhookUrl, Date.now());
  return checked.ok ? replaceWith(checked.record) : checked;
}

/** Connects with the browser's Bitrix24 login on this portal; a failure keeps the connection there was. */
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

/** A successful connection, either way, replaces the one before (saveConnection erases another portal's or user's records). */
async function replaceWith(record: ConnectionRecord): Promise<ConnectResult> {
  await beforeChange();
  await saveConnection(await getDb(), record);
  changed();
  return { ok: true, connection: viewOf(record) };
}

export async function disconnect(): Promise<void> {
  await beforeChange();
  await eraseAll(await getDb());
  await forgetSessids();
  changed();
}
