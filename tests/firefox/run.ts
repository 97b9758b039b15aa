// The Firefox end-to-end runner: `npm run test:firefox` (after `npm run build:demo:firefox`).
//
// Playwright cannot drive Firefox here, so this drives Debian's firefox-esr with
// puppeteer-core over WebDriver BiDi: one demo portal on a free port, one
// headless Firefox with the unpacked demo build installed, then the tests of
// chips.firefox.ts in order (connect and first sync first: the others need them).
// Prints `firefox: N passed, N failed` last and exits non-zero on a failure.
// With no Firefox binary it says so, prints `firefox: 0 passed, 0 failed`, exits 0.
//
// How Firefox differs from Chromium here, and what this does about it:
// - The extension's pages live at moz-extension://<uuid>/ with a uuid Firefox
//   draws at install. The profile pref `extensions.webextensions.uuids` (a JSON
//   map of add-on id → uuid) set before launch makes Firefox use ours.
// - Since Firefox 153, WebDriver may navigate to moz-extension:// only when
//   Firefox is started with `--remote-allow-system-access`, and such a
//   navigation never reports its load over BiDi: openExtensionPage() starts it
//   without waiting and waits for the page's own content instead.
// - Firefox MV3 treats host_permissions as optional, but since Firefox 127 it
//   grants them at install (pref `extensions.originControls.grantByDefault`,
//   true by default; set here so a changed default fails loudly rather than
//   silently). The first test checks through `browser.permissions` that the
//   demo build holds its loopback origins; without them there is no content
//   script and no REST call to the demo portal.
// - The popup and the toolbar badge cannot be opened over BiDi; extension
//   pages can read the badge through `browser.action`, which the tests use.
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { type DemoPortal, startPortal } from '../../demo/server';
import { GECKO_ID } from '../../lib/manifest';
import { tests } from './chips.firefox';

export interface FirefoxContext {
  browser: Browser;
  portal: DemoPortal;
  /** moz-extension://<uuid>/ + path */
  extensionUrl(path: string): string;
  /** Opens an extension page in a new tab and waits until `ready` (a CSS selector) is in it. */
  openExtensionPage(path: string, ready: string): Promise<Page>;
  /** A new tab. */
  newPage(): Promise<Page>;
}

export interface FirefoxTest {
  name: string;
  /** The tests after this one need it (connecting, the first sync): if it fails they are not run, and count as failed. */
  prerequisite?: boolean;
  run(ctx: FirefoxContext): Promise<void>;
}

const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const BUILD_DIR = resolve(import.meta.dirname, '../../.output/firefox-mv3-demo');
/** The whole run, launch to close (it takes about 7 s). */
const RUN_BUDGET_MS = 60_000;

function summary(passed: number, failed: number): void {
  console.log(`firefox: ${passed} passed, ${failed} failed`);
}

async function main(): Promise<number> {
  if (!existsSync(FIREFOX_PATH)) {
    console.log(`firefox: skipped, no Firefox binary at ${FIREFOX_PATH} (apt-get install -y firefox-esr, or set FIREFOX_PATH)`);
    summary(0, 0);
    return 0;
  }
  if (!existsSync(resolve(BUILD_DIR, 'manifest.json'))) {
    console.log(`firefox: no demo build in ${BUILD_DIR}: run \`npm run build:demo:firefox\` first`);
    summary(0, 1);
    return 1;
  }

  const started = Date.now();
  const uuid = randomUUID();
  const portal = await startPortal({ port: 0, quiet: true });
  let browser: Browser | undefined;
  let passed = 0;
  let failed = 0;
  const watchdog = setTimeout(() => {
    console.log(`firefox: the run took longer than ${RUN_BUDGET_MS / 1000} s; stopping`);
    browser?.process()?.kill('SIGKILL');
    summary(passed, failed + 1);
    process.exit(1);
  }, RUN_BUDGET_MS);
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
        'extensions.originControls.grantByDefault': true,
        'intl.locale.requested': 'en-US',
      },
    });
    const addonId = await browser.installExtension(BUILD_DIR);
    if (addonId !== GECKO_ID) throw new Error(`installed add-on id ${addonId}, expected ${GECKO_ID}`);
    console.log(`firefox: ${await browser.version()}, demo build installed as moz-extension://${uuid}/`);

    const ctx: FirefoxContext = {
      browser,
      portal,
      extensionUrl: (path) => `moz-extension://${uuid}/${path}`,
      newPage: () => browser!.newPage(),
      async openExtensionPage(path, ready) {
        const page = await browser!.newPage();
        // The navigation commits but never reports "load" over BiDi: don't wait for it.
        page.goto(`moz-extension://${uuid}/${path}`, { timeout: 60_000 }).catch(() => {});
        await page.waitForFunction((selector) => document.querySelector(selector) !== null, { timeout: 15_000 }, ready);
        return page;
      },
    };

    let broken = '';
    for (const test of tests) {
      const t0 = Date.now();
      if (broken) {
        failed++;
        console.log(`  ✘ ${test.name} (not run: ${broken} failed)`);
        continue;
      }
      try {
        await test.run(ctx);
        passed++;
        console.log(`  ✔ ${test.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failed++;
        console.log(`  ✘ ${test.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        console.log(`    ${String(error instanceof Error ? (error.stack ?? error.message) : error).replaceAll('\n', '\n    ')}`);
        if (test.prerequisite) broken = test.name;
      }
    }
  } catch (error) {
    failed++;
    console.log(`firefox: could not start Firefox with the demo build: ${error instanceof Error ? error.message : error}`);
  } finally {
    clearTimeout(watchdog);
    await browser?.close().catch(() => browser?.process()?.kill('SIGKILL'));
    await portal.close();
  }
  console.log(`firefox: finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  summary(passed, failed);
  return failed > 0 ? 1 : 0;
}

process.exit(await main());
