// Chips on a self-hosted portal: its origin is not in the manifest, so the
// options page asks for it and the background registers the content script
// for it once granted (and unregisters it when the portal changes).
import { browser } from 'wxt/browser';
import { IS_DEMO_BUILD } from '../flavour';
import { isCoveredByManifest, originPattern } from '../portal-hosts';
import { connectedPortals } from './portals';
import { onConnectionChanged } from './connection';

const SCRIPT_ID = 'crm-self-hosted';

/** The content script is registered for every connected portal outside the manifest whose host was granted. */
export async function syncSelfHostedScript(): Promise<void> {
  const portals = await connectedPortals();
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  const candidates = portals
    .map(({ connection }) => connection.origin)
    .filter((origin) => !isCoveredByManifest(origin, IS_DEMO_BUILD))
    .map(originPattern);
  const granted: string[] = [];
  for (const pattern of candidates) if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  const current = [...(registered[0]?.matches ?? [])].sort();
  const wanted = [...new Set(granted)].sort();
  if (wanted.length === current.length && wanted.every((m, i) => m === current[i])) return;
  if (registered.length) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (wanted.length === 0) return;
  await browser.scripting.registerContentScripts([
    {
      id: SCRIPT_ID,
      matches: wanted,
      js: ['content-scripts/crm.js'],
      allFrames: true,
      runAt: 'document_idle',
      persistAcrossSessions: true,
    },
  ]);
}

export function setupSelfHosted(): void {
  const sync = () => void syncSelfHostedScript().catch((error) => console.warn('self-hosted chips', error));
  onConnectionChanged(sync);
  browser.permissions.onAdded.addListener(sync);
  browser.permissions.onRemoved.addListener(sync);
  sync();
}
