// The options page's "Portal address" is filled in from an open portal tab,
// and its "Sign in" opens one. Tab URLs are readable only for origins the
// extension holds host permission for: Bitrix24's cloud, the demo build's
// loopback, and self-hosted portals already granted.
import { browser } from 'wxt/browser';
import { parsePortalAddress } from '../bitrix/portal-address';
import { IS_DEMO_BUILD } from '../flavour';
import { isCoveredByManifest } from '../portal-hosts';
import { connectedPortals } from './portals';
import { openOnPortal } from './tabs';

/** A tab's portal origin, when it is a portal page the manifest covers. */
export function portalOriginOf(url: string | undefined, demo: boolean): string | null {
  if (!url) return null;
  try {
    const { origin } = new URL(url);
    return isCoveredByManifest(origin, demo) ? origin : null;
  } catch {
    return null;
  }
}

export async function suggestPortal(): Promise<string | null> {
  const tabs = await browser.tabs.query({}).catch(() => []);
  const ordered = [...tabs.filter((tab) => tab.active), ...tabs.filter((tab) => !tab.active)];
  for (const tab of ordered) {
    const origin = portalOriginOf(tab.url, IS_DEMO_BUILD);
    if (origin) return origin;
  }
  return null;
}

/** Opens the portal's start page, which asks a signed-out user to sign in. */
export async function openPortal(requested: string | null): Promise<void> {
  const parsed = requested === null ? null : parsePortalAddress(requested);
  const origin = parsed?.ok ? parsed.origin : ((await connectedPortals())[0]?.connection.origin ?? null);
  if (origin) await openOnPortal(origin, `${origin}/`);
}
