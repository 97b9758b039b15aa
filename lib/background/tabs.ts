// The portal's open tabs: where item pages open and where change notices go.
import { browser, type Browser } from 'wxt/browser';

/** Open tabs of the portal (tab URLs are readable for origins the extension has host permission for). */
export async function portalTabs(origin: string): Promise<Browser.tabs.Tab[]> {
  const tabs = await browser.tabs.query({}).catch(() => []);
  return tabs.filter((tab) => {
    try {
      return tab.url !== undefined && new URL(tab.url).origin === origin;
    } catch {
      return false;
    }
  });
}

/** Opens a page of the portal in one of its open tabs (the active one first), or in a new tab. */
export async function openOnPortal(origin: string, url: string): Promise<void> {
  if (new URL(url).origin !== origin) return;
  const tabs = await portalTabs(origin);
  const tab = tabs.find((t) => t.active) ?? tabs[0];
  if (tab?.id !== undefined) {
    await browser.tabs.update(tab.id, { url, active: true });
    if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
  } else {
    await browser.tabs.create({ url });
  }
}
