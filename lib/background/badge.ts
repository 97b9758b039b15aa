// Paints the toolbar badge from the connection and sync state.
import { browser } from 'wxt/browser';
import { type BadgeInput, badgeView } from '../badge';
import { formatTime, t } from '../i18n';
import { getDb, loadConnection } from '../store/db';
import { onConnectionChanged } from './connection';

export async function currentBadgeInput(): Promise<BadgeInput> {
  const connection = await loadConnection(await getDb());
  if (!connection) return { kind: 'notConnected' };
  // The sync engine (issue #4) replaces this with its real state.
  return { kind: 'firstSync' };
}

export async function paintBadge(): Promise<void> {
  const view = badgeView(await currentBadgeInput(), t, (ms) => formatTime(ms));
  await Promise.all([
    browser.action.setBadgeText({ text: view.text }),
    browser.action.setTitle({ title: view.title }),
    view.color ? browser.action.setBadgeBackgroundColor({ color: view.color }) : Promise.resolve(),
  ]);
}

export function setupBadge(): void {
  onConnectionChanged(() => void paintBadge());
  void paintBadge();
}
