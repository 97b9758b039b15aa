import type { Worker } from '@playwright/test';
import { DEMO_SECRET } from '../../demo/config';
import { connectAndSync, connectLoginAndSync, expect, readBadge, test, useSettings } from './fixtures';
import { addItemLinks, deal, signIn } from './pages/portal';
import { truthTotals } from './truth';

const HTML = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
const RTL = '\u202Eevil\u202C \u200B\u200Bzero\u200Dwidth';
const LONG = 'Ω'.repeat(100_000);

test('hostile titles, subjects and names: nothing executes, nothing breaks, everything stays readable', async ({
  browserWithExtension,
  optionsPage,
  popupPage,
  portal,
  serviceWorker,
}) => {
  // Deal 1 has an open to-do due today (worked example 1), deal 3 an incoming e-mail.
  portal.call('crm.deal.update', { id: 1, fields: { TITLE: `${HTML} ${RTL}` } });
  portal.call('crm.deal.update', { id: 3, fields: { TITLE: LONG } });
  for (const a of portal.store.activities.values()) {
    if (a.completed) continue;
    if (a.ownerTypeId === 2 && a.ownerId === 1) a.subject = 'javascript:window.__pwned=1';
    if (a.ownerTypeId === 2 && a.ownerId === 3) a.subject = `${HTML}${LONG}`;
  }
  const user2 = portal.store.users.get(2)!;
  user2.name = '<b>Camille</b>';
  user2.lastName = `${RTL}<i>x</i>`;

  await connectAndSync(optionsPage, portal, serviceWorker);
  const truth = truthTotals(portal.store, 1);
  expect((await readBadge(serviceWorker)).title).toContain(`Incoming: ${truth.incoming}`);

  await popupPage.page.setViewportSize({ width: 380, height: 600 });
  await popupPage.open();
  const page = popupPage.page;
  await expect(popupPage.incoming).toHaveAttribute('data-count', String(truth.incoming));
  await expect(page.getByText(`${HTML} ${RTL}`, { exact: false }).first()).toBeVisible();
  expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // Long strings are cut visually, not breaking the layout.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(380);
  // Entry links go to the portal, never to a javascript: URL.
  const hrefs = await page.locator('.entry > a').evaluateAll((links) => links.map((l) => l.getAttribute('href') ?? ''));
  expect(hrefs.every((h) => h.startsWith(portal.origin))).toBe(true);
  // The teammate's hostile name is text in the selector.
  await expect(popupPage.employee.locator('option[value="2"]')).toHaveText(/^<b>Camille<\/b>/);

  const crm = await browserWithExtension.context.newPage();
  await crm.goto(`${portal.origin}/crm/deal/list/`);
  const chipOf = await addItemLinks(crm, 'hostile', [deal(1), deal(3)]);
  await expect(chipOf(deal(1))).toHaveAttribute('data-state', 'planned');
  await expect(chipOf(deal(3))).toHaveAttribute('data-state', 'incoming');
  expect(await crm.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('the webhook secret never reaches a portal page or what content scripts can read', async ({
  browserWithExtension,
  optionsPage,
  portal,
  serviceWorker,
}) => {
  await useSettings(serviceWorker, { pollSeconds: 5 });
  await recordTabMessages(serviceWorker);
  await connectAndSync(optionsPage, portal, serviceWorker);
  const crm = await browserWithExtension.context.newPage();
  await crm.goto(`${portal.origin}/crm/deal/list/`);
  await expect(crm.locator('crm-counter-chip').first()).toBeAttached();
  // A portal change makes the background notify the tab.
  portal.call('crm.activity.add', { fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, DIRECTION: 1, SUBJECT: 'x' } });
  await expect.poll(() => sentToTabs(serviceWorker), { timeout: 20_000 }).toContain('chipsChanged');
  const sent = await sentToTabs(serviceWorker);
  expect(sent).not.toContain(DEMO_SECRET);
  // The page's DOM, chips' shadow roots included.
  const dom = await crm.evaluate(() => {
    const parts = [document.documentElement.outerHTML];
    for (const chip of document.querySelectorAll('crm-counter-chip')) parts.push(chip.shadowRoot?.innerHTML ?? '');
    return parts.join('\n');
  });
  expect(dom).not.toContain(DEMO_SECRET);
  // Storage a content script can read.
  const readable = await serviceWorker.evaluate(async () =>
    JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.sync.get(null), await chrome.storage.session.get(null)]),
  );
  expect(readable).not.toContain(DEMO_SECRET);
  // The options page shows it masked.
  await optionsPage.page.reload();
  await expect(optionsPage.page.locator('body')).not.toContainText(DEMO_SECRET);
});

test('with the browser login, the sessid never reaches what the extension gives a page or a content script', async ({
  browserWithExtension,
  optionsPage,
  portal,
  serviceWorker,
}) => {
  await useSettings(serviceWorker, { pollSeconds: 5 });
  await recordTabMessages(serviceWorker);
  await signIn(browserWithExtension.context, portal.origin, 'Anna Schmidt');
  await connectLoginAndSync(optionsPage, portal, serviceWorker);
  const crm = await browserWithExtension.context.newPage();
  await crm.goto(`${portal.origin}/crm/deal/list/`);
  await expect(crm.locator('crm-counter-chip').first()).toBeAttached();
  // The portal itself puts the session's sessid into its pages; the extension must add it nowhere.
  const sessid = await crm.evaluate(() => /"bitrix_sessid":"([0-9a-f]+)"/.exec(document.documentElement.innerHTML)?.[1] ?? '');
  expect(sessid).toMatch(/^[0-9a-f]{32}$/);
  portal.call('crm.activity.add', { fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, DIRECTION: 1, SUBJECT: 'x' } });
  await expect.poll(() => sentToTabs(serviceWorker), { timeout: 20_000 }).toContain('chipsChanged');
  expect(await sentToTabs(serviceWorker)).not.toContain(sessid);
  const chips = await crm.evaluate(() =>
    [...document.querySelectorAll('crm-counter-chip')].map((chip) => chip.outerHTML + (chip.shadowRoot?.innerHTML ?? '')).join('\n'),
  );
  expect(chips).not.toContain(sessid);
  // Storage a content script can read (storage.session keeps its default, trusted-contexts-only access level).
  const readable = await serviceWorker.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.sync.get(null)]));
  expect(readable).not.toContain(sessid);
  await optionsPage.page.reload();
  await expect(optionsPage.connectedAs('Anna Schmidt')).toBeVisible();
  expect(await optionsPage.page.content()).not.toContain(sessid);
});

/** Records every message the background sends to tabs (the chips' change notices). */
async function recordTabMessages(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const sent: string[] = [];
    (globalThis as unknown as { __sent: string[] }).__sent = sent;
    const original = chrome.tabs.sendMessage.bind(chrome.tabs);
    chrome.tabs.sendMessage = ((...args: unknown[]) => {
      sent.push(JSON.stringify(args));
      return (original as (...a: unknown[]) => unknown)(...args);
    }) as typeof chrome.tabs.sendMessage;
  });
}

function sentToTabs(worker: Worker): Promise<string> {
  return worker.evaluate(() => (globalThis as unknown as { __sent: string[] }).__sent.join('\n'));
}
