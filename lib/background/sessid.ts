// The login mode's sessid: a credential, kept where the webhook's secret is
// kept out of reach of pages and content scripts. storage.session, at its
// default access level, is readable only by the extension's trusted contexts
// and outlives a stopped worker (so a woken worker's first request does not
// pay a 401 to learn it again), but not the browser session: the portal gives
// it again whenever asked.
import { browser } from 'wxt/browser';
import type { SessidStore } from '../bitrix/auth';

const keyOf = (origin: string) => `sessid ${origin}`;

export function sessidStore(origin: string): SessidStore {
  const key = keyOf(origin);
  return {
    async load() {
      const value = (await browser.storage.session.get(key))[key];
      return typeof value === 'string' ? value : '';
    },
    async save(sessid) {
      await browser.storage.session.set({ [key]: sessid });
    },
  };
}

/** Forgets one portal's sessid (Disconnect). */
export async function forgetSessid(origin: string): Promise<void> {
  await browser.storage.session.remove(keyOf(origin));
}

