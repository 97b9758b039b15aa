import { setupBadge } from '@/lib/background/badge';
import { connect, connectLogin, disconnect, getConnectionViews } from '@/lib/background/connection';
import { openPortal, suggestPortal } from '@/lib/background/portal-tabs';
import { setupActions } from '@/lib/background/actions';
import { setupManagedConnect } from '@/lib/background/managed-connect';
import { setupNotifications } from '@/lib/background/notifications';
import { followPortal, getDiagnostics, getPortalCheckView, setupPortalCheck } from '@/lib/background/portal-check';
import { setupSelfHosted } from '@/lib/background/self-hosted';
import { setupSync, syncNow } from '@/lib/background/sync';
import { setupViews } from '@/lib/background/views';
import { onMessage } from '@/lib/messaging';

// Listeners are registered synchronously: an `await` before them would lose
// the event that woke the worker.
export default defineBackground(() => {
  onMessage('getConnections', () => getConnectionViews());
  onMessage('connect', ({ data }) => connect(data));
  onMessage('connectLogin', ({ data }) => connectLogin(data));
  onMessage('suggestPortal', () => suggestPortal());
  onMessage('openPortal', ({ data }) => openPortal(data));
  onMessage('disconnect', ({ data }) => disconnect(data));
  setupSync();
  setupBadge();
  setupViews();
  setupSelfHosted();
  setupActions();
  setupNotifications();
  setupManagedConnect();
  onMessage('getPortalCheck', ({ data }) => getPortalCheckView(data ?? undefined));
  onMessage('getDiagnostics', ({ data }) => getDiagnostics(data ?? undefined));
  onMessage('followPortal', ({ data }) => followPortal(data ?? undefined));
  setupPortalCheck(syncNow);
});
