// Connecting with the browser's Bitrix24 login (issue #12, contract
// "Connecting with the browser's Bitrix24 login"): the real extension in
// Chromium against the demo portal's sign-in page, session cookie and
// session-authorized REST, at 5 s polls.
import type { BrowserContext, Worker } from '@playwright/test';
import type { DemoPortal } from '../../demo/server';
import { connectAndSync, connectLoginAndSync, expect, readBadge, test, useSettings } from './fixtures';
import type { OptionsPage } from './pages/options';
import { signIn, signInOn } from './pages/portal';
import { truthTotals } from './truth';

const ANNA = 'Anna Schmidt';
const CAMILLE = 'Camille Dubois';

/** Adds an incoming call to one of Anna's deals: the badge must follow. */
function addIncomingCall(portal: DemoPortal, subject: string): void {
  portal.call('crm.activity.add', { fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, DIRECTION: 1, SUBJECT: subject } });
}

/** Samples the badge every 250 ms until stopped: what a user could have seen meanwhile. */
function sampleBadge(worker: Worker) {
  const seen: { text: string; title: string }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const badge = await readBadge(worker).catch(() => null);
      if (badge) seen.push({ text: badge.text, title: badge.title });
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function connectAsAnna(context: BrowserContext, optionsPage: OptionsPage, portal: DemoPortal, worker: Worker, remember = true) {
  await signIn(context, portal.origin, ANNA, { remember });
  await connectLoginAndSync(optionsPage, portal, worker);
}

test.describe('Connecting with the browser’s Bitrix24 login', () => {
  test.beforeEach(async ({ serviceWorker }) => {
    await useSettings(serviceWorker, { pollSeconds: 5 });
  });

  test('not signed in: the alert offers the sign-in page; signed in there, the same button connects', async ({
    optionsPage,
    portal,
    browserWithExtension,
  }) => {
    await optionsPage.connectLogin(portal.origin);
    await expect(optionsPage.loginAlert).toContainText('not signed in');
    const opened = browserWithExtension.context.waitForEvent('page');
    await optionsPage.loginAlert.getByRole('button', { name: /Sign in/ }).click();
    const tab = await opened;
    await tab.waitForURL(/\/auth\//);
    await signInOn(tab, ANNA);
    // An open portal tab fills in the address of a freshly opened options page.
    await optionsPage.page.reload();
    await expect(optionsPage.portalAddress).toHaveValue(portal.origin);
    await optionsPage.useLoginButton.click();
    await expect(optionsPage.connectedAs(ANNA)).toBeVisible();
    await expect(optionsPage.loginAlert).toBeEmpty();
  });

  test('signed in: Connected as, then badge and popup equal the webhook mode’s on the same portal', async ({
    optionsPage,
    popupPage,
    portal,
    serviceWorker,
    browserWithExtension,
  }) => {
    await connectAsAnna(browserWithExtension.context, optionsPage, portal, serviceWorker);
    const truth = truthTotals(portal.store, 1);
    const login = await readBadge(serviceWorker);
    expect(login.text).toBe(String(truth.all));
    await popupPage.open();
    const loginCounts = await popupPage.counts();
    expect(loginCounts).toEqual({ incoming: truth.incoming, planned: truth.planned });

    // The same portal through its webhook, from an empty copy.
    await optionsPage.disconnectButton.click();
    await expect.poll(async () => (await readBadge(serviceWorker)).title).toContain('Not connected');
    await connectAndSync(optionsPage, portal, serviceWorker);
    const webhook = await readBadge(serviceWorker);
    expect({ text: webhook.text, color: webhook.color }).toEqual({ text: login.text, color: login.color });
    await popupPage.page.reload();
    expect(await popupPage.counts()).toEqual(loginCounts);
  });

  test('an expired session renewed by remember-me: no visible interruption', async ({
    optionsPage,
    portal,
    serviceWorker,
    browserWithExtension,
  }) => {
    await connectAsAnna(browserWithExtension.context, optionsPage, portal, serviceWorker, true);
    const sampler = sampleBadge(serviceWorker);
    portal.sessions.expire({ renewable: true });
    addIncomingCall(portal, 'Call after the session expired');
    const truth = truthTotals(portal.store, 1);
    await expect.poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 }).toContain(`Incoming: ${truth.incoming}`);
    await sampler.stop();
    expect(sampler.seen.filter((b) => /Sign in|stale/i.test(b.title))).toEqual([]);
    expect(portal.stats.errors.session_failed ?? 0).toBeGreaterThan(0);
  });

  test('signed out for good: stale badge with Sign in; signed in again in a tab, syncing resumes with no click', async ({
    optionsPage,
    popupPage,
    portal,
    serviceWorker,
    browserWithExtension,
  }) => {
    await connectAsAnna(browserWithExtension.context, optionsPage, portal, serviceWorker, false);
    const before = await readBadge(serviceWorker);
    portal.sessions.expire({ renewable: false });
    await expect.poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 }).toContain('Sign in');
    const stale = await readBadge(serviceWorker);
    expect(stale.text).toBe(before.text);
    expect(stale.title).toContain('stale');
    await popupPage.open();
    await expect(popupPage.page.getByRole('button', { name: /Open Bitrix24/ })).toBeVisible();
    // The 401s come at the poll's pace, not in a storm.
    const refused = portal.stats.errors.access_denied ?? 0;
    await new Promise((r) => setTimeout(r, 10_000));
    expect((portal.stats.errors.access_denied ?? 0) - refused).toBeLessThanOrEqual(3);

    addIncomingCall(portal, 'Call while signed out');
    const truth = truthTotals(portal.store, 1);
    const signedInAt = Date.now();
    await signIn(browserWithExtension.context, portal.origin, ANNA);
    await expect
      .poll(async () => (await readBadge(serviceWorker)).title, { timeout: 2 * 5_000 + 10_000 })
      .toContain(`Incoming: ${truth.incoming}`);
    expect(Date.now() - signedInAt).toBeLessThan(2 * 5_000 + 10_000);
    expect((await readBadge(serviceWorker)).title).not.toContain('Sign in');
  });

  test('another person signs in in the same browser: stale with Sign in, their numbers never shown', async ({
    optionsPage,
    popupPage,
    portal,
    serviceWorker,
    browserWithExtension,
  }) => {
    await connectAsAnna(browserWithExtension.context, optionsPage, portal, serviceWorker);
    const anna = truthTotals(portal.store, 1);
    const camille = truthTotals(portal.store, 2);
    expect(camille.all).not.toBe(anna.all);
    const sampler = sampleBadge(serviceWorker);
    await signIn(browserWithExtension.context, portal.origin, CAMILLE);
    await expect.poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 }).toContain('Sign in');
    await popupPage.open();
    expect(await popupPage.counts()).toEqual({ incoming: anna.incoming, planned: anna.planned });
    await expect(popupPage.page.getByText(/another person/)).toBeVisible();

    await signIn(browserWithExtension.context, portal.origin, ANNA);
    await expect.poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 }).not.toContain('Sign in');
    await sampler.stop();
    expect(sampler.seen.length).toBeGreaterThan(10);
    expect(sampler.seen.every((b) => b.text === String(anna.all))).toBe(true);
    expect(sampler.seen.some((b) => b.title.includes(`Incoming: ${camille.incoming}`) && camille.incoming !== anna.incoming)).toBe(false);
  });

  test('webhooks refused by the plan or the subscription: the options page says so and offers the login', async ({
    optionsPage,
    portal,
    browserWithExtension,
  }) => {
    portal.faults.set({ restUnavailable: true });
    await optionsPage.connect(portal.webhookUrl);
    await expect(optionsPage.alert).toContainText('plan');
    await expect(optionsPage.alert).toContainText('Market subscription');
    await expect(optionsPage.alert).toContainText('Bitrix24 login');
    await expect(optionsPage.portalAddress).toHaveValue(portal.origin);
    portal.faults.set({ restUnavailable: false, paymentRequired: true });
    await optionsPage.connect(portal.webhookUrl);
    await expect(optionsPage.alert).toContainText('subscription has ended');

    await signIn(browserWithExtension.context, portal.origin, ANNA);
    await optionsPage.useLoginButton.click();
    await expect(optionsPage.connectedAs(ANNA)).toBeVisible();
  });

  test('polling never marks the user online; an idle poll is one request, also after the worker was stopped', async ({
    optionsPage,
    portal,
    serviceWorker,
    browserWithExtension,
  }) => {
    // 42 s of it are fixed waits, and the alarm-woken poll may take up to 70 s (below).
    test.setTimeout(150_000);
    await connectAsAnna(browserWithExtension.context, optionsPage, portal, serviceWorker);
    // Past the cursor's overlap, polls are idle.
    await new Promise((r) => setTimeout(r, 31_000));
    portal.stats.reset();
    await new Promise((r) => setTimeout(r, 11_000));
    const polls = portal.stats.requests;
    expect(polls).toBeGreaterThanOrEqual(1);
    expect(portal.stats.byMethod).toEqual({ batch: polls });
    expect(portal.stats.errors).toEqual({});

    const page = await browserWithExtension.context.newPage();
    const cdp = await browserWithExtension.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
    portal.stats.reset();
    // The next poll comes from the alarm, in a new worker: still no 401 to learn the sessid again.
    await expect.poll(() => portal.stats.requests, { timeout: 70_000, intervals: [500] }).toBeGreaterThanOrEqual(1);
    expect(portal.stats.errors).toEqual({});
    expect(Object.keys(portal.stats.byMethod)).toEqual(['batch']);
    expect(portal.stats.markedOnline).toEqual({});
  });
});

test.describe('With third-party cookies blocked', () => {
  test.use({ chromiumPreferences: { profile: { cookie_controls_mode: 1 } } });

  test('the login still connects and syncs', async ({ optionsPage, portal, serviceWorker, browserWithExtension }) => {
    await useSettings(serviceWorker, { pollSeconds: 5 });
    await connectAsAnna(browserWithExtension.context, optionsPage, portal, serviceWorker);
    expect((await readBadge(serviceWorker)).text).toBe(String(truthTotals(portal.store, 1).all));
  });
});
