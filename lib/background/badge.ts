// Paints the toolbar badge from the connection and sync state.
import { browser } from 'wxt/browser';
import { type BadgeInput, type PortalBadgeInput, portalsBadgeView } from '../badge';
import { formatTime, t } from '../i18n';
import type { ConnectionRecord } from '../store/db';
import { hostOf } from '../store/portals';
import { connectedPortals } from './portals';
import { syncProblemMessage } from '../connect-problems';
import { onConnectionChanged } from './connection';
import { getCounterIndex, getSyncStatus, onDataChanged } from './sync';

/** Every connected portal's badge input, under its host, in the order they were connected. */
export async function currentBadgeInputs(now = Date.now()): Promise<PortalBadgeInput[]> {
  const portals = await connectedPortals();
  return Promise.all(
    portals.map(async ({ slot, connection }) => ({ host: hostOf(slot.origin), input: await badgeInputOf(connection, now) })),
  );
}

/** The first portal's badge input (the only one's, for single-portal callers and tests). */
export async function currentBadgeInput(now = Date.now()): Promise<BadgeInput> {
  return (await currentBadgeInputs(now))[0]?.input ?? { kind: 'notConnected' };
}

async function badgeInputOf(connection: ConnectionRecord, now: number): Promise<BadgeInput> {
  const origin = connection.origin;
  const status = await getSyncStatus(origin);
  // Never a partial count: numbers only from the index, which exists after the first full sync.
  const index = status.phase === 'notConnected' ? null : await getCounterIndex(origin);
  const totals = index ? index.totals(connection.userId, now) : null;
  const counts = totals && status.lastSyncAt !== null ? { incoming: totals.incoming, planned: totals.planned, lastSyncAt: status.lastSyncAt } : null;
  if (status.phase === 'failing' && status.error) {
    return { kind: 'failing', reason: syncProblemMessage(status.error.kind, t, 'crm'), since: status.error.since, counts };
  }
  if (!counts) return { kind: 'firstSync' };
  return { kind: 'synced', ...counts };
}

/** Paints in call order, one at a time: two at once could leave one's text beside the other's title. */
let painting: Promise<void> = Promise.resolve();

export function paintBadge(): Promise<void> {
  painting = painting.then(paintNow, paintNow);
  return painting;
}

async function paintNow(): Promise<void> {
  const view = portalsBadgeView(await currentBadgeInputs(), t, (ms) => formatTime(ms));
  // The title last: whoever sees the new title (a person hovering, a test waiting for "Incoming:") sees
  // the new number and colour with it. At once, Firefox sometimes answered the new title beside the old text.
  await Promise.all([
    browser.action.setBadgeText({ text: view.text }),
    view.color ? browser.action.setBadgeBackgroundColor({ color: view.color }) : Promise.resolve(),
  ]);
  await browser.action.setTitle({ title: view.title });
}

export function setupBadge(): void {
  onConnectionChanged(() => void paintBadge());
  onDataChanged(() => void paintBadge());
  void paintBadge();
}
