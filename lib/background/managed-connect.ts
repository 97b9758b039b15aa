// Auto-connect: when the administrator's policy names the portal (and not the
// webhook mode), a browser signed in to that portal connects without a click:
// when the worker starts, when the policy changes, and when a page of that
// portal loads (the page after a sign-in, say). A failure changes nothing.
import { browser } from 'wxt/browser';
import type { ConnectResult } from '../connection';
import { autoConnectOrigin, loadManaged, onManagedChanged, policyRefusal } from '../managed';
import { originPattern } from '../portal-hosts';
import { connectedPortal } from './portals';
import { connectLogin } from './connection';

/** Page loads try at most this often: a signed-out browser costs the portal one request per 10 s at most. */
const RETRY_MS = 10_000;
let lastTry = 0;
let trying: Promise<ConnectResult | null> | null = null;
let pending: ReturnType<typeof setTimeout> | null = null;

/** Registers the policy listener synchronously and makes the first try. */
export function setupManagedConnect(): void {
  onManagedChanged(() => void autoConnect());
  void autoConnect();
}

/** A page of this origin loaded (a content script asked): maybe the user just signed in there. */
export function managedPortalPageLoaded(origin: string): void {
  void loadManaged().then((managed) => {
    if (autoConnectOrigin(managed) !== origin || pending) return;
    // Too soon after the last try: once more when the pause is over (the page after a sign-in must not be missed).
    pending = setTimeout(
      () => {
        pending = null;
        void autoConnect();
      },
      Math.max(0, lastTry + RETRY_MS - Date.now()),
    );
  });
}

/** Connects with the browser's login to the policy's portal, unless connected as the policy allows; single-flight. */
export function autoConnect(): Promise<ConnectResult | null> {
  trying ??= tryOnce().finally(() => {
    trying = null;
  });
  return trying;
}

async function tryOnce(): Promise<ConnectResult | null> {
  const managed = await loadManaged();
  const origin = autoConnectOrigin(managed);
  if (!origin) return null;
  // A connection the policy allows stays (a webhook to that portal, when the policy names no mode).
  const connection = (await connectedPortal(origin))?.connection ?? null;
  if (connection && policyRefusal(managed, connection.mode === 'login' ? 'login' : 'webhook', connection.origin) === null) return null;
  // A self-hosted portal needs its host permission, which only a click on the options page may ask for.
  if (!(await browser.permissions.contains({ origins: [originPattern(origin)] }))) return null;
  lastTry = Date.now();
  const result = await connectLogin(origin);
  console.info(`[managed] auto-connect to ${origin}: ${result.ok ? 'connected' : result.problem}`);
  return result;
}
