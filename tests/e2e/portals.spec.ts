// Several portals (issue #17, contract "Several portals"): two demo portals,
// one on 127.0.0.1 connected by webhook and one on localhost connected with
// the browser's login (cookies ignore ports, so two hosts keep the login on
// one from being the other's), at 5 s polls. The badge sums them with a title
// line per portal, the popup has a Portal select with each portal's people
// and Employee choice, chips come from their page's portal, a fault on one
// leaves the other fresh, Disconnect HOST erases one only, and a profile
// saved before several portals carries on as the first portal. That profile
// is this build's with the list of portals removed, or, with
// E2E_OLD_BUILD=DIR (the .output/chrome-mv3-demo of a checkout of 192aca4,
// the last build before several portals), that build's own.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { type DemoPortal, startPortal } from '../../demo/server';
import { DEMO_BUILD, type ExtensionBrowser, launchWithExtension } from '../../scripts/chromium';
import { DB_NAME } from '../../lib/store/db-name';
import { expect, managedStorageAnswers, noPolicyTest, readBadge, test as base, useSettings } from './fixtures';
import { OptionsPage } from './pages/options';
import { addItemLinks, deal } from './pages/portal';
import {
  badgeLine,
  connectAnother,
  countsOfLine,
  expectBadgeLine,
  hostOf,
  openPopupOver,
  readRecords,
  readStorage,
} from './pages/portals';
import { PopupPage } from './pages/popup';
import { truthChip, truthLists, truthTotals } from './truth';

const ANNA = 'Anna Schmidt';
const RED = [245, 72, 25, 255];
const GREEN = [157, 207, 0, 255];
const badgeText = (all: number) => (all === 0 ? '' : all > 99 ? '99+' : String(all));

// Small portals (a first sync in a second or two), with different seeds: the same IDs hold other
// records. The localhost one has more employees, so its people are not the other's.
const test = base.extend<{ localPortal: DemoPortal; profileDir: string }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
  localPortal: async ({}, use) => {
    const portal = await startPortal({ port: 0, host: 'localhost', quiet: true, seed: 2, openActivities: 60, users: 12 });
    await use(portal);
    await portal.close();
  },
  // Started after the localhost portal, so that the browser (which depends on this one) closes before either.
  portal: async ({ localPortal: _ }, use) => {
    const portal = await startPortal({ port: 0, quiet: true, seed: 1, openActivities: 60 });
    await use(portal);
    await portal.close();
  },
  // A folder for a browser profile that outlives its first browser; removed after the test, also when it ran out of time.
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
  profileDir: async ({}, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'b24-counters-old-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
});

/** Connects the 127.0.0.1 portal by webhook, then the localhost one with Anna's login (signed in there only). */
async function connectBoth(optionsPage: OptionsPage, worker: Worker, web: DemoPortal, login: DemoPortal, context: BrowserContext): Promise<void> {
  await connectAnother(optionsPage, worker, web, { webhook: true }, 1);
  await connectAnother(optionsPage, worker, login, { loginAs: ANNA, context }, 2);
}

/** The extension's database of a portal connected second (the first keeps the old name). */
const secondDb = (portal: DemoPortal) => `${DB_NAME}@${portal.origin}`;

// First in the file, the longest test starts first. Its own browsers, on a profile that outlives the
// first (no fixture browser).
test('a profile saved before several portals: connection, data, settings and Employee choice kept, and it syncs on', async ({
  portal,
  localPortal,
  profileDir: profile,
}) => {
  // Two browser launches, one after the other: on a loaded machine more than the default minute.
  test.setTimeout(120_000);
  // Browsers of our own on one profile, and the extension's files in a folder of their own, named as the
  // build is (policy-file.ts knows demo browsers by it): the update replaces them there, as the browser's
  // own update does.
  const extensionDir = path.join(profile, 'chrome-mv3-demo');
  // The profile as the build before several portals left it: one connection, synced, an Employee
  // choice and settings. That build never wrote the list of portals: with E2E_OLD_BUILD (a demo
  // build of 192aca4) it is that build; else this one, with the list removed once it is idle.
  cpSync(process.env.E2E_OLD_BUILD || DEMO_BUILD, extensionDir, { recursive: true });
  const old = await launchOwn({ userDataDir: path.join(profile, 'profile'), extensionDir });
  let stored: Record<string, unknown>;
  let records: Awaited<ReturnType<typeof readRecords>>;
  let teammate: string;
  try {
    const oldOptions = new OptionsPage(await old.context.newPage(), old.extensionId);
    await useSettings(old.worker, { pollSeconds: 5, weekStart: 0, chips: { lists: true, itemPages: false, elsewhere: true } });
    await oldOptions.open();
    await oldOptions.connect(portal.webhookUrl);
    await expect(oldOptions.connectedAs(/Connected as/)).toBeVisible({ timeout: 30_000 });
    await expect.poll(async () => (await readBadge(old.worker)).title, { timeout: 30_000 }).toContain('Incoming:');
    const oldPopup = new PopupPage(await old.context.newPage(), old.extensionId);
    await oldPopup.open();
    teammate = (await oldPopup.optionsOf(oldPopup.employee, 2))[1].value;
    await oldPopup.employee.selectOption(teammate);
    await expectCounts(oldPopup, portal, Number(teammate));
    // Idle: no poll for half an hour, no page open, nothing that reads the list of portals.
    await useSettings(old.worker, { pollSeconds: 1800 });
    await oldPopup.page.close();
    await oldOptions.page.close();
    records = await readRecords(old.worker, DB_NAME);
    await old.worker.evaluate(() => chrome.storage.local.remove('portals'));
    stored = await readStorage(old.worker);
    expect(stored.portals).toBeUndefined();
  } finally {
    await old.close();
  }

  // This build on the same profile.
  rmSync(extensionDir, { recursive: true });
  cpSync(DEMO_BUILD, extensionDir, { recursive: true });
  // A newer version, as an update is, and its service worker registered anew, as an update does: an
  // unpacked build's files changed under the same profile, Chromium would run the worker script it had
  // registered (and chrome.runtime.reload() then sometimes leaves the extension blocked). The profile's
  // service worker registrations go; the extension's storage and databases stay where they are.
  const manifestPath = path.join(extensionDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string };
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, version: `${manifest.version}.1` }));
  rmSync(path.join(profile, 'profile', 'Default', 'Service Worker'), { recursive: true, force: true });
  const next = await launchOwn({ userDataDir: path.join(profile, 'profile'), extensionDir });
  try {
    const { worker } = next;
    // The numbers of the copy it had: no new first sync.
    const truth = truthTotals(portal.store, 1);
    await expect.poll(async () => (await readBadge(worker)).title).toContain(`Incoming: ${truth.incoming}\nPlanned: ${truth.planned}`);
    expect(await readRecords(worker, DB_NAME)).toEqual(records);
    const migrated = await readStorage(worker);
    expect(migrated.portals).toEqual([{ origin: portal.origin, dbName: DB_NAME }]);
    expect(migrated.settings).toEqual({ ...(stored.settings as object) });
    expect(migrated.chosenPersonId).toBe(Number(teammate));

    const options = new OptionsPage(await next.context.newPage(), next.extensionId);
    await options.open();
    await expect(options.connectedAs(/Connected as/)).toHaveCount(1);
    await expect(options.disconnectButton).toHaveAccessibleName('Disconnect');
    const popup = new PopupPage(await next.context.newPage(), next.extensionId);
    await popup.open();
    await expect(popup.employee).toHaveValue(teammate);
    await expect(popup.portal).toHaveCount(0);
    await expectCounts(popup, portal, Number(teammate));

    // It syncs on (a new call on it shows while a second portal joins), with no new first sync;
    // it stays the first, with its Employee choice.
    await useSettings(worker, { pollSeconds: 5 });
    addIncomingCall(portal, 'After the update');
    const later = truthTotals(portal.store, 1);
    await connectAnother(options, worker, localPortal, { loginAs: ANNA, context: next.context }, 2);
    await expectBadgeLine(worker, portal, `Incoming: ${later.incoming}, Planned: ${later.planned}, Last sync: `);
    expect((await readRecords(worker, DB_NAME)).fullSyncAt).toBe(records.fullSyncAt);
    expect((await readStorage(worker)).portals).toEqual([
      { origin: portal.origin, dbName: DB_NAME },
      { origin: localPortal.origin, dbName: secondDb(localPortal) },
    ]);
    await popup.page.reload();
    await expect(popup.portal).toHaveValue(portal.origin);
    await expect(popup.employee).toHaveValue(teammate);
  } finally {
    await next.close();
  }
});

test.describe('Several portals', () => {
  test.beforeEach(async ({ serviceWorker }) => {
    await useSettings(serviceWorker, { pollSeconds: 5 });
  });

  test('each portal’s own numbers: the badge sums All of both (red while either has Planned, a title line per host), chips on a portal’s pages are its own', async ({
    browserWithExtension,
    optionsPage,
    portal,
    localPortal,
    serviceWorker,
  }) => {
    // Nothing Planned for Anna on the localhost portal, so the badge is red for the other's Planned alone;
    // and two more incoming calls on its deal 1, so the same deal ID has other counts on the two.
    completePlanned(localPortal);
    for (const subject of ['Call one', 'Call two']) addIncomingCall(localPortal, subject);
    const local = truthTotals(localPortal.store, 1);
    expect(local).toMatchObject({ planned: 0 });
    expect(local.incoming).toBeGreaterThan(0);

    await connectBoth(optionsPage, serviceWorker, portal, localPortal, browserWithExtension.context);
    const web = truthTotals(portal.store, 1);
    expect(web.planned).toBeGreaterThan(0);

    // The options page lists both, each with its Disconnect HOST.
    await expect(optionsPage.disconnectHost(hostOf(portal))).toBeVisible();
    await expect(optionsPage.disconnectHost(hostOf(localPortal))).toBeVisible();

    // The badge: the sum, red, a line per portal after the extension's name.
    await expectBadgeLine(serviceWorker, portal, `Incoming: ${web.incoming}, Planned: ${web.planned}, Last sync: `);
    await expectBadgeLine(serviceWorker, localPortal, `Incoming: ${local.incoming}, Planned: 0, Last sync: `);
    const badge = await readBadge(serviceWorker);
    expect(badge.text).toBe(badgeText(web.all + local.all));
    expect(badge.color).toEqual(RED);
    expect(badge.title.split('\n')).toHaveLength(3);

    // Chips: the same deal IDs on the two portals' pages, each as its own portal counts them.
    const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    const shown: Record<string, Map<number, { state: string; count: number }>> = {};
    for (const p of [portal, localPortal]) {
      const page = await browserWithExtension.context.newPage();
      await page.goto(`${p.origin}/crm/deal/list/`);
      const chipOf = await addItemLinks(page, 'same-ids', ids.map(deal));
      const chips = new Map<number, { state: string; count: number }>();
      for (const id of ids) {
        const truth = truthChip(p.store, deal(id), 1);
        const chip = chipOf(deal(id));
        if (!truth) {
          await expect(chip, `${hostOf(p)} deal ${id}: no chip`).toHaveCount(0);
          continue;
        }
        await expect(chip, `${hostOf(p)} deal ${id}`).toHaveAttribute('data-count', String(truth.count));
        await expect(chip, `${hostOf(p)} deal ${id}`).toHaveAttribute('data-state', truth.state);
        chips.set(id, { state: truth.state, count: truth.count });
      }
      // The list's own rows too.
      await expect(page.locator('#deal-rows crm-counter-chip').first()).toBeAttached();
      const rows = await page.locator('#deal-rows crm-counter-chip').evaluateAll((els) =>
        els.map((el) => ({
          entityTypeId: Number(el.getAttribute('data-entity-type-id')),
          entityId: Number(el.getAttribute('data-entity-id')),
          count: Number(el.getAttribute('data-count')),
          state: el.getAttribute('data-state'),
        })),
      );
      for (const { entityTypeId, entityId, ...shownChip } of rows) {
        const truth = truthChip(p.store, { entityTypeId, entityId }, 1);
        expect(shownChip, `${hostOf(p)} row chip of ${entityTypeId}:${entityId}`).toEqual({ count: truth?.count, state: truth?.state });
      }
      shown[p.origin] = chips;
      await page.close();
    }
    const webDeal1 = shown[portal.origin].get(1);
    const localDeal1 = shown[localPortal.origin].get(1);
    expect(localDeal1?.count).toBeGreaterThanOrEqual(2);
    expect(localDeal1).not.toEqual(webDeal1);
    const differing = ids.filter((id) => JSON.stringify(shown[portal.origin].get(id)) !== JSON.stringify(shown[localPortal.origin].get(id)));
    expect(differing.length).toBeGreaterThan(1);

    // Nothing Planned on either: green, the sum of Incoming.
    completePlanned(portal);
    const webAfter = truthTotals(portal.store, 1);
    await expectBadgeLine(serviceWorker, portal, `Incoming: ${webAfter.incoming}, Planned: 0`);
    await expect.poll(async () => (await readBadge(serviceWorker)).color).toEqual(GREEN);
    expect((await readBadge(serviceWorker)).text).toBe(badgeText(webAfter.all + local.all));
  });

  test('the popup’s Portal select: the active tab’s portal first, else the first; each portal its people and Employee choice', async ({
    browserWithExtension,
    extensionId,
    optionsPage,
    popupPage,
    portal,
    localPortal,
    serviceWorker,
  }) => {
    const { context } = browserWithExtension;
    await connectBoth(optionsPage, serviceWorker, portal, localPortal, context);

    // Opened in a tab of its own (no portal tab active): the first connected.
    await popupPage.open();
    await expect(popupPage.portal).toHaveValue(portal.origin);
    const portals = await popupPage.optionsOf(popupPage.portal, 2);
    expect(portals.map((p) => p.value)).toEqual([portal.origin, localPortal.origin]);
    expect(portals[0].text.startsWith(hostOf(portal))).toBe(true);
    expect(portals[1].text.startsWith(hostOf(localPortal))).toBe(true);
    // Above Employee.
    const above = await popupPage.page.evaluate(() => {
      const [first, second] = [...document.querySelectorAll('select')];
      return first?.labels?.[0]?.textContent === 'Portal' && second?.labels?.[0]?.textContent?.includes('Employee');
    });
    expect(above).toBe(true);

    // Each portal's people: Anna first, then names of that portal's employees only.
    const webPeople = await expectPeopleOf(popupPage, portal);
    const webTeammate = Number(webPeople[1].value);
    await popupPage.employee.selectOption(String(webTeammate));
    await expectCounts(popupPage, portal, webTeammate);

    await popupPage.portal.selectOption(localPortal.origin);
    await expect(popupPage.employee).toHaveValue('1');
    await expectCounts(popupPage, localPortal, 1);
    const localPeople = await expectPeopleOf(popupPage, localPortal);
    // Someone only the localhost portal has (its employees 9 to 12; the other has 8).
    const localOnly = localPeople.map((p) => Number(p.value)).find((id) => id > 8);
    expect(localOnly, 'an employee only the localhost portal has').toBeDefined();
    expect(webPeople.map((p) => Number(p.value)).every((id) => id <= 8)).toBe(true);
    await popupPage.employee.selectOption(String(localOnly));
    await expectCounts(popupPage, localPortal, localOnly!);
    // Its lists link to its own pages.
    const links = await popupPage.page.locator('[data-activity-id] a[href]').evaluateAll((els) => els.map((a) => (a as HTMLAnchorElement).href));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.startsWith(`${localPortal.origin}/`), link).toBe(true);

    // Back to the first: its own choice, remembered.
    await popupPage.portal.selectOption(portal.origin);
    await expect(popupPage.employee).toHaveValue(String(webTeammate));
    await expectCounts(popupPage, portal, webTeammate);

    // With a tab of the localhost portal active, the popup opens on it, with its choice.
    const localTab = await context.newPage();
    await localTab.goto(`${localPortal.origin}/crm/deal/list/`);
    const overLocal = await openPopupOver(context, serviceWorker, extensionId, localTab);
    await expect(overLocal.portal).toHaveValue(localPortal.origin);
    await expect(overLocal.employee).toHaveValue(String(localOnly));
    await expectCounts(overLocal, localPortal, localOnly!);
    await overLocal.page.close();

    // And over a tab of the 127.0.0.1 portal, on that one.
    const webTab = await context.newPage();
    await webTab.goto(`${portal.origin}/crm/deal/list/`);
    const overWeb = await openPopupOver(context, serviceWorker, extensionId, webTab);
    await expect(overWeb.portal).toHaveValue(portal.origin);
    await expect(overWeb.employee).toHaveValue(String(webTeammate));
  });

  test('a fault on one portal: the other stays fresh; the failing one’s last numbers stay in the sum, stale in its line', async ({
    browserWithExtension,
    optionsPage,
    portal,
    localPortal,
    serviceWorker,
  }) => {
    await connectBoth(optionsPage, serviceWorker, portal, localPortal, browserWithExtension.context);
    await optionsPage.page.close();
    const web = truthTotals(portal.store, 1);
    await expectBadgeLine(serviceWorker, localPortal, `Incoming: ${truthTotals(localPortal.store, 1).incoming},`);

    // The 127.0.0.1 portal hangs: every request longer than the client's timeout (5 s at 5 s polls).
    portal.stats.reset();
    portal.faults.set({ stallMs: 60_000 });
    await expect.poll(() => portal.stats.requests, { timeout: 10_000, intervals: [100] }).toBeGreaterThan(0);
    // While its request hangs (it fails after 5 s, a retry 1 s later, 5 s more), the localhost portal
    // polls on, and its new incoming call shows.
    localPortal.stats.reset();
    addIncomingCall(localPortal, 'During the other’s fault');
    const local = truthTotals(localPortal.store, 1);
    await expect.poll(() => localPortal.stats.requests, { timeout: 10_000, intervals: [100] }).toBeGreaterThan(0);
    await expectBadgeLine(serviceWorker, localPortal, `Incoming: ${local.incoming}, Planned: ${local.planned}, Last sync: `);
    // The hanging one is marked stale in its own line, with its last numbers, still in the sum;
    // the other's line is fresh.
    await expectBadgeLine(serviceWorker, portal, /did not answer in time.*Data stale since/, 45_000);
    const title = (await readBadge(serviceWorker)).title;
    expect(countsOfLine(badgeLine(title, portal))).toEqual({ incoming: web.incoming, planned: web.planned });
    expect(badgeLine(title, localPortal)).toContain(`Incoming: ${local.incoming}, Planned: ${local.planned}, Last sync: `);
    expect(badgeLine(title, localPortal)).not.toMatch(/stale|did not answer/);
    expect((await readBadge(serviceWorker)).text).toBe(badgeText(web.all + local.all));

    // The popup says so of the failing one only.
    const popup = new PopupPage(await browserWithExtension.context.newPage(), optionsPage.extensionId);
    await popup.open();
    await expect(popup.portal).toHaveValue(portal.origin);
    await expect(popup.page.locator('.status.stale')).toBeVisible();
    await expectCounts(popup, portal, 1);
    await popup.portal.selectOption(localPortal.origin);
    await expectCounts(popup, localPortal, 1);
    await expect(popup.page.locator('.status.stale')).toHaveCount(0);
  });

  test('Disconnect HOST erases that portal’s records only, the first connected or another; the other keeps its data, badge, popup and chips', async ({
    browserWithExtension,
    optionsPage,
    popupPage,
    portal,
    localPortal,
    serviceWorker,
  }) => {
    const { context } = browserWithExtension;
    await connectBoth(optionsPage, serviceWorker, portal, localPortal, context);
    // The 127.0.0.1 portal, connected first, has the database of old and the keys of old (emptied when it
    // goes); the localhost one has its own (deleted when it goes).
    const dbOf = (p: DemoPortal) => (p === portal ? DB_NAME : secondDb(localPortal));
    const keyOf = (base: string, p: DemoPortal) => (p === portal ? base : `${base} ${localPortal.origin}`);
    const choices = new Map<DemoPortal, number>();
    const tabs = new Map<DemoPortal, Page>();

    /** An Employee choice on each portal that has none yet (the last person listed), in the popup. */
    const choose = async () => {
      const popup = new PopupPage(await context.newPage(), popupPage.extensionId);
      await popup.open();
      for (const p of [portal, localPortal]) {
        if (choices.has(p)) continue;
        await popup.portal.selectOption(p.origin);
        await expect(popup.employee).toHaveValue('1');
        const people = await popup.optionsOf(popup.employee, 2);
        const chosen = Number(people[people.length - 1].value);
        await popup.employee.selectOption(String(chosen));
        await expectCounts(popup, p, chosen);
        choices.set(p, chosen);
      }
      await popup.page.close();
    };

    /** A chip of deal 1 on a portal's tab, as that portal's chosen person sees it. */
    const expectChipOfDeal1 = async (p: DemoPortal, box: string) => {
      const tab = tabs.get(p)!;
      await expect(tab.locator('#deal-rows crm-counter-chip').first()).toBeAttached();
      const chip = (await addItemLinks(tab, box, [deal(1)]))(deal(1));
      const truth = truthChip(p.store, deal(1), choices.get(p)!);
      await expect(chip).toHaveAttribute('data-count', String(truth?.count));
      await expect(chip).toHaveAttribute('data-mine', String(truth?.mine));
    };

    const disconnect = async (gone: DemoPortal, kept: DemoPortal) => {
      const chosen = choices.get(kept)!;
      const before = await readRecords(serviceWorker, dbOf(kept));
      expect(before.activities).toBeGreaterThan(0);
      expect((await readStorage(serviceWorker))[keyOf('chosenPersonId', gone)]).toBe(choices.get(gone));

      await optionsPage.page.bringToFront();
      await optionsPage.disconnectHost(hostOf(gone)).click();
      await expect(optionsPage.connectedAs(/Connected as/)).toHaveCount(1);
      // One portal again: everything reads as before, the button included.
      await expect(optionsPage.disconnectButton).toHaveAccessibleName('Disconnect');
      // From now on the disconnected one is asked nothing; a new call on the other shows (checked below).
      gone.stats.reset();
      addIncomingCall(kept, `After ${hostOf(gone)} was disconnected`);
      const later = truthTotals(kept.store, 1);

      // Its records are gone: the copy (the database of old stays, empty), the connection, its Employee
      // choice, its alarms; the other's are as they were.
      if (dbOf(gone) === DB_NAME) {
        await expect.poll(() => readRecords(serviceWorker, DB_NAME)).toMatchObject({ connected: false, activities: 0, items: 0, people: 0 });
      } else {
        await expect.poll(() => databases(serviceWorker)).toEqual([DB_NAME]);
      }
      const storage = await readStorage(serviceWorker);
      expect(storage[keyOf('chosenPersonId', gone)]).toBeUndefined();
      expect(storage[keyOf('chosenPersonId', kept)]).toBe(chosen);
      expect(storage.portals).toEqual([{ origin: kept.origin, dbName: dbOf(kept) }]);
      // (Its copy as it was, and the new call on it, once its poll has brought it.)
      const after = await readRecords(serviceWorker, dbOf(kept));
      expect(after).toMatchObject({ connected: true, fullSyncAt: before.fullSyncAt });
      expect([before.activities, before.activities + 1]).toContain(after.activities);
      const alarms = await serviceWorker.evaluate(async () => (await chrome.alarms.getAll()).map((a) => a.name));
      expect(alarms).toContain(keyOf('sync-poll', kept));
      expect(alarms).not.toContain(keyOf('sync-poll', gone));

      // Chips leave the disconnected portal's open tab; the other's stay.
      await expect(tabs.get(gone)!.locator('crm-counter-chip')).toHaveCount(0);
      await expectChipOfDeal1(kept, `after-${gone.port}`);

      // The badge is the other's alone, as with one portal (the new call included).
      await expect
        .poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 })
        .toContain(`Incoming: ${later.incoming}\nPlanned: ${later.planned}`);
      expect((await readBadge(serviceWorker)).text).toBe(badgeText(later.all));
      expect((await readBadge(serviceWorker)).title).not.toContain(hostOf(gone));

      // The popup: no Portal select, the other's choice and counts.
      const popup = new PopupPage(await context.newPage(), popupPage.extensionId);
      await popup.open();
      await expect(popup.employee).toHaveValue(String(chosen));
      await expect(popup.portal).toHaveCount(0);
      await expectCounts(popup, kept, chosen);
      await popup.page.close();
      expect(gone.stats.requests).toBe(0);
      // Nothing of it came back meanwhile (a page or the popup asking about it).
      expect(await databases(serviceWorker)).toEqual(dbOf(gone) === DB_NAME ? [DB_NAME, dbOf(kept)].sort() : [DB_NAME]);
      choices.delete(gone);
    };

    // A tab of each, with chips as that portal's chosen person sees it.
    await choose();
    for (const p of [portal, localPortal]) {
      const tab = await context.newPage();
      await tab.goto(`${p.origin}/crm/deal/list/`);
      tabs.set(p, tab);
      await expectChipOfDeal1(p, 'before');
    }

    // The first connected goes.
    await disconnect(portal, localPortal);

    // Connected again, it comes last, with a copy of its own again (in the database of old, free again);
    // its open tab gets chips again.
    await connectAnother(optionsPage, serviceWorker, portal, { webhook: true }, 2);
    expect((await readStorage(serviceWorker)).portals).toEqual([
      { origin: localPortal.origin, dbName: secondDb(localPortal) },
      { origin: portal.origin, dbName: DB_NAME },
    ]);
    await choose();
    await expectChipOfDeal1(portal, 'again');

    // Now the other goes: its own database is deleted.
    await disconnect(localPortal, portal);
  });

});


/** A browser of the test's own, launched as the fixtures do (after any policy test); the wait is not the test's time. */
async function launchOwn(options: Parameters<typeof launchWithExtension>[0]): Promise<ExtensionBrowser> {
  const waited = await noPolicyTest();
  test.info().setTimeout(test.info().timeout + waited);
  let browser = await launchWithExtension(options);
  // As the fixtures do: a browser whose storage.managed never answers its first read is started again, once.
  for (let attempt = 1; !(await managedStorageAnswers(browser.worker, 20_000)); attempt++) {
    await browser.close();
    if (attempt === 2) throw new Error('Chromium’s storage.managed did not answer within 20 s, twice');
    browser = await launchWithExtension(options);
  }
  return browser;
}

/** The extension's IndexedDB databases, by name. */
async function databases(worker: Worker): Promise<string[]> {
  return worker.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').sort());
}

/** Adds an incoming call to deal 1 of a portal. */
function addIncomingCall(portal: DemoPortal, subject: string): void {
  portal.call('crm.activity.add', { fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, DIRECTION: 1, SUBJECT: subject } });
}

/** Completes every activity of Anna's Planned on a portal (in the portal's memory, as a user would there). */
function completePlanned(portal: DemoPortal): void {
  const { overdue, today, soon } = truthLists(portal.store, 1).planned;
  for (const { activity } of [...overdue, ...today, ...soon]) {
    portal.call('crm.activity.update', { id: activity.id, fields: { COMPLETED: 'Y' } });
  }
}

/** The popup's Employee options on this portal: Anna first, then people of this portal only, by the names it has. */
async function expectPeopleOf(popup: PopupPage, portal: DemoPortal): Promise<{ value: string; text: string }[]> {
  await expect(popup.employee).toBeVisible();
  const people = await popup.optionsOf(popup.employee, 2);
  expect(people[0].value).toBe('1');
  expect(people.length).toBeGreaterThan(1);
  for (const person of people) {
    const user = portal.store.users.get(Number(person.value));
    expect(user, `employee ${person.value} of ${hostOf(portal)}`).toBeDefined();
    expect(person.text.startsWith(`${user!.name} ${user!.lastName}`.trim()), `${person.text} on ${hostOf(portal)}`).toBe(true);
  }
  return people;
}

async function expectCounts(popup: PopupPage, portal: DemoPortal, personId: number): Promise<void> {
  const truth = truthTotals(portal.store, personId);
  await expect(popup.incoming).toHaveAttribute('data-count', String(truth.incoming));
  await expect(popup.planned).toHaveAttribute('data-count', String(truth.planned));
}
