/// <reference types="chrome" />
// Playwright fixtures: a demo portal per worker, a fresh Chromium with the
// demo build per test, and page objects.
import { test as base, type Worker } from '@playwright/test';
import { type DemoPortal, startPortal } from '../../demo/server';
import { type ExtensionBrowser, launchWithExtension } from '../../scripts/chromium';
import { OptionsPage } from './pages/options';

interface TestFixtures {
  browserWithExtension: ExtensionBrowser;
  extensionId: string;
  serviceWorker: Worker;
  optionsPage: OptionsPage;
}

interface WorkerFixtures {
  portal: DemoPortal;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  portal: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const portal = await startPortal({ port: 0, quiet: true });
      await use(portal);
      await portal.close();
    },
    { scope: 'worker' },
  ],
  browserWithExtension: async ({ portal }, use) => {
    portal.faults.clear();
    const browser = await launchWithExtension();
    await use(browser);
    await browser.close();
    portal.faults.clear();
  },
  extensionId: async ({ browserWithExtension }, use) => use(browserWithExtension.extensionId),
  serviceWorker: async ({ browserWithExtension }, use) => use(browserWithExtension.worker),
  optionsPage: async ({ browserWithExtension }, use) => {
    const page = await browserWithExtension.context.newPage();
    const options = new OptionsPage(page, browserWithExtension.extensionId);
    await options.open();
    await use(options);
  },
});

export const expect = test.expect;

/** The toolbar badge as the service worker sees it. */
export async function readBadge(worker: Worker): Promise<{ text: string; title: string; color: number[] }> {
  return worker.evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    title: await chrome.action.getTitle({}),
    color: await chrome.action.getBadgeBackgroundColor({}),
  }));
}
