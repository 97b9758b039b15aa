// Background side of the options page's Connect / Disconnect.
import { checkWebhook, type ConnectResult, viewOf } from '../connection';
import { eraseAll, getDb, loadConnection, saveConnection } from '../store/db';

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

export async function connect(webhookUrl: string): Promise<ConnectResult> {
  const checked = await checkWebhook(webhookUrl, Date.now());
  if (!checked.ok) return checked;
  await beforeChange();
  await saveConnection(await getDb(), checked.record);
  changed();
  return { ok: true, connection: viewOf(checked.record) };
}

export async function disconnect(): Promise<void> {
  await beforeChange();
  await eraseAll(await getDb());
  changed();
}
