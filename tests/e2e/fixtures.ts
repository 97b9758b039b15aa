/// <reference types="chrome" />
// Playwright fixtures: a demo portal and a fresh Chromium with the demo build
// per test, and page objects.
import { test as base, type Worker } from '@playwright/test';
import { type DemoPortal, startPortal } from '../../demo/server';
import { type ExtensionBrowser, launchWithExtension } from '../../scripts/chromium';
import { OptionsPage } from './pages/options';
import { PopupPage } from './pages/popup';
import { demoBuildPolicies, waitUntil } from './policy-file';

interface TestFixtures {
  /** Chromium profile preferences for the test's browser (an option: `test.use({ chromiumPreferences: … })`). */
  chromiumPreferences: Record<string, unknown> | undefined;
  portal: DemoPortal;
  browserWithExtension: ExtensionBrowser;
  extensionId: string;
  serviceWorker: Worker;
  optionsPage: OptionsPage;
  popupPage: PopupPage;
}

// Every test gets its own demo portal (it starts in milliseconds): tests change
// the portal's data, and none may see another's changes.
export const test = base.extend<TestFixtures>({
  chromiumPreferences: [undefined, { option: true }],
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
  portal: async ({}, use) => {
    const portal = await startPortal({ port: 0, quiet: true });
    await use(portal);
    await portal.close();
  },
  // Depends on the portal so that the browser closes before the portal does. This suite's policy test
  // names its own copy's ID (policy-file.ts); a policy file for the demo build's ID can only come from an
  // older checkout's policy test run on the same machine: it would reach this browser, so wait it out.
  browserWithExtension: [
    async ({ portal: _portal, chromiumPreferences }, use) => {
      await noPolicyTest();
      let browser = await launchWithExtension({ preferences: chromiumPreferences });
      // Chromium's managed storage (the administrator's policy, storage.managed) answers its first read a
      // second or several after the start, once the policy service is up. An extension page opened before
      // that, as the options page of most tests is, sometimes leaves every read of it unanswered for good
      // (a fresh browser on this loaded machine: 2 to 4 in 12 without this wait, 0 in 33 with it; 0 requests
      // ever reached the portal in the login tests that timed out on "Connected as"). So each test starts
      // once it has answered; a browser where it does not within 20 s is started again, once.
      for (let attempt = 1; !(await managedStorageAnswers(browser.worker, 20_000)); attempt++) {
        await browser.close();
        if (attempt === 2) throw new Error('Chromium’s storage.managed did not answer within 20 s, twice');
        browser = await launchWithExtension({ preferences: chromiumPreferences });
      }
      await use(browser);
      await browser.close();
    },
    { timeout: 300_000 },
  ],
  extensionId: async ({ browserWithExtension }, use) => use(browserWithExtension.extensionId),
  serviceWorker: async ({ browserWithExtension }, use) => use(browserWithExtension.worker),
  optionsPage: async ({ browserWithExtension }, use) => {
    const page = await browserWithExtension.context.newPage();
    const options = new OptionsPage(page, browserWithExtension.extensionId);
    await options.open();
    await use(options);
  },
  popupPage: async ({ browserWithExtension }, use) => {
    const page = await browserWithExtension.context.newPage();
    await use(new PopupPage(page, browserWithExtension.extensionId));
  },
});

export const expect = test.expect;

/**
 * Waits while a policy file for the demo build's ID exists (an older checkout's policy test on this
 * machine, policy-file.ts): it would reach a browser launched now. Resolves with the milliseconds waited.
 */
export async function noPolicyTest(): Promise<number> {
  const start = Date.now();
  await waitUntil(() => demoBuildPolicies().length === 0, 250_000, 'a policy file for the demo build’s ID present (an older checkout’s policy test)');
  return Date.now() - start;
}

/** Whether the extension's first read of storage.managed answers within `ms`. */
export async function managedStorageAnswers(worker: Worker, ms: number): Promise<boolean> {
  return worker.evaluate(
    (timeout) =>
      Promise.race([
        chrome.storage.managed.get(null).then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeout)),
      ]),
    ms,
  );
}

/** The toolbar badge as the service worker sees it. */
export async function readBadge(worker: Worker): Promise<{ text: string; title: string; color: number[] }> {
  return worker.evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    title: await chrome.action.getTitle({}),
    color: await chrome.action.getBadgeBackgroundColor({}),
  }));
}

/**
 * Settings the demo build accepts (5 s polls keep the tests short). The
 * team-share stretch is off unless a test turns it on: a 200-person portal
 * would otherwise poll every few minutes (contract, Builds).
 */
export async function useSettings(worker: Worker, settings: Record<string, unknown>): Promise<void> {
  await worker.evaluate(async (patch) => {
    const current = (await chrome.storage.local.get('settings')).settings ?? {};
    await chrome.storage.local.set({ settings: { teamShare: false, ...current, ...patch } });
  }, settings);
}

/** Connects the demo portal and waits for the first full sync (the badge title shows the numbers). */
export async function connectAndSync(options: OptionsPage, portal: DemoPortal, worker: Worker): Promise<void> {
  await options.connect(portal.webhookUrl);
  await expect(options.connectedAs(/Connected as/)).toBeVisible();
  await expect.poll(async () => (await readBadge(worker)).title, { timeout: 30_000 }).toContain('Incoming:');
}

/** Connects with the browser's Bitrix24 login (the browser must be signed in) and waits for the first full sync. */
export async function connectLoginAndSync(options: OptionsPage, portal: DemoPortal, worker: Worker): Promise<void> {
  await options.connectLogin(portal.origin);
  // The login's check takes a few requests (the sessid learned from a 401 first): on a loaded 2-core machine
  // running two browsers, more than the default 10 s twice in three clean-clone runs.
  await expect(options.connectedAs(/Connected as/)).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await readBadge(worker)).title, { timeout: 30_000 }).toContain('Incoming:');
}
