// Host permission for a portal, asked for while the click still counts as the
// user's gesture: call before any await in the click handler.
import { browser } from 'wxt/browser';
import { IS_DEMO_BUILD } from '@/lib/flavour';
import { isCoveredByManifest, originPattern } from '@/lib/portal-hosts';

/**
 * Resolves to whether the extension may talk to this origin. Chrome and Edge
 * grant the manifest's hosts at install; Firefox lets users take them back,
 * so there every portal is asked for (no prompt when already granted).
 */
export function requestHostPermission(
  origin: string,
  flavour: { firefox: boolean; demo: boolean } = { firefox: import.meta.env.BROWSER === 'firefox', demo: IS_DEMO_BUILD },
): Promise<boolean> {
  if (!flavour.firefox && isCoveredByManifest(origin, flavour.demo)) return Promise.resolve(true);
  return browser.permissions.request({ origins: [originPattern(origin)] }).catch(() => false);
}
