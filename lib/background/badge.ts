// Paints the toolbar badge from the connection and sync state.
import { browser } from 'wxt/browser';
import { type BadgeInput, badgeView } from '../badge';
import { formatTime, t } from '../i18n';
import { getDb, loadConnection } from '../store/db';
import { syncProblemMessage } from '../connect-problems';
import { onConnectionChanged } from './connection';
import { getCounterIndex, getSyncStatus, onDataChanged } from './sync';

export async function currentBadgeInput(now = Date.now()): Promise<BadgeInput> {
  const connection = await loadConnection(await getDb());
  if (!connection) return { kind: 'notConnected' };
  const status = await getSyncStatus();
  // Never a partial count: numbers only from the index, which exists after the first full sync.
  const index = status.phase === 'notConnected' ? null : await getCounterIndex();
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
  const view = badgeView(await currentBadgeInput(), t, (ms) => formatTime(ms));
  await Promise.all([
    browser.action.setBadgeText({ text: view.text }),
    browser.action.setTitle({ title: view.title }),
    view.color ? browser.action.setBadgeBackgroundColor({ color: view.color }) : Promise.resolve(),
  ]);
}

export function setupBadge(): void {
  onConnectionChanged(() => void paintBadge());
  onDataChanged(() => void paintBadge());
  void paintBadge();
}
