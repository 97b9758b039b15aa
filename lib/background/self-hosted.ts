// Chips on a self-hosted portal: its origin is not in the manifest, so the
// options page asks for it and the background registers the content script
// for it once granted (and unregisters it when the portal changes).
import { browser } from 'wxt/browser';
import { IS_DEMO_BUILD } from '../flavour';
import { isCoveredByManifest, originPattern } from '../portal-hosts';
import { getDb, loadConnection } from '../store/db';
import { onConnectionChanged } from './connection';

const SCRIPT_ID = 'crm-self-hosted';

export async function syncSelfHostedScript(): Promise<void> {
  const connection = await loadConnection(await getDb());
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  const wanted =
    connection && !isCoveredByManifest(connection.origin, IS_DEMO_BUILD) ? originPattern(connection.origin) : null;
  const granted = wanted !== null && (await browser.permissions.contains({ origins: [wanted] }));
  const current = registered[0]?.matches?.[0] ?? null;
  if (granted && current === wanted) return;
  if (registered.length) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (!granted) return;
  await browser.scripting.registerContentScripts([
    {
      id: SCRIPT_ID,
      matches: [wanted],
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
