// Host permission for a portal, asked for while the click still counts as the
// user's gesture: call before any await in the click handler.
import { IS_DEMO_BUILD } from '@/lib/flavour';
import { isCoveredByManifest, originPattern } from '@/lib/portal-hosts';

/**
 * Resolves to whether the extension may talk to this origin. Chrome and Edge
 * grant the manifest's hosts at install; Firefox lets users take them back,
 * so there every portal is asked for (no prompt when already granted).
 */
export function requestHostPermission(origin: string): Promise<boolean> {
  const firefox = import.meta.env.BROWSER === 'firefox';
  if (!firefox && isCoveredByManifest(origin, IS_DEMO_BUILD)) return Promise.resolve(true);
  return browser.permissions.request({ origins: [originPattern(origin)] }).catch(() => false);
}
