// Deploy to a team by policy (issue #15): a real policy file where Debian's
// Chromium reads it (/etc/chromium/policies/managed/, root as on CI), then the
// locked options, the minimum interval honoured and the auto-connect by login.
// The file names the ID of this test's own copy of the demo build
// (policy-file.ts), so it reaches no other browser and the test runs beside
// the others.
import AxeBuilder from '@axe-core/playwright';
import { type DemoPortal, startPortal } from '../../demo/server';
import { type ExtensionBrowser, launchWithExtension } from '../../scripts/chromium';
import { expect, readBadge, test, useSettings } from './fixtures';
import { signIn } from './pages/portal';
import { canWritePolicies, type PolicyBuild, type PolicyFile, policyBuild, writeExtensionPolicy } from './policy-file';

const ANNA = 'Anna Schmidt';
const MIN_POLL_SECONDS = 15;

test('an administrator’s policy: settings locked, the minimum interval honoured, a signed-in browser connects by itself', async () => {
  test.skip(!canWritePolicies(), 'Writing Chromium’s policy folder needs root (as on CI).');
  test.setTimeout(150_000);
  let build: PolicyBuild | null = null;
  let portal: DemoPortal | null = null;
  let browser: ExtensionBrowser | null = null;
  let policy: PolicyFile | null = null;
  try {
    build = policyBuild();
    portal = await startPortal({ port: 0, quiet: true });
    policy = writeExtensionPolicy(build.extensionId, {
      portalAddress: portal.origin,
      connectionMode: 'login',
      minPollSeconds: MIN_POLL_SECONDS,
      notifications: false,
      litRule: 'lightTime',
      counterMode: 'item',
      countedEntityTypes: [1, 2, 3, 4],
    });
    browser = await launchWithExtension({ extensionDir: build.dir });
    const { context, worker } = browser;
    expect(browser.extensionId).toBe(build.extensionId);
    // Chromium delivers the policy's 3rdparty values to storage.managed, validated by managed_schema.json.
    await expect
      .poll(() => worker.evaluate(() => chrome.storage.managed.get(null)), { timeout: 15_000 })
      .toMatchObject({ portalAddress: portal.origin, minPollSeconds: MIN_POLL_SECONDS, litRule: 'lightTime' });
    // The user asks for 5 s polls; the policy's minimum wins.
    await useSettings(worker, { pollSeconds: 5, litRule: 'day', counterMode: 'activity' });

    // Not signed in yet: the options page tried the login by itself and shows the contract's alert.
    const options = await context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const address = options.getByRole('textbox', { name: /Portal address/ });
    const loginAlert = options.locator('form', { has: address }).getByRole('alert');
    await expect(loginAlert).toContainText('not signed in');
    await expect(loginAlert.getByRole('button', { name: /Sign in/ })).toBeVisible();

    // Locked: the portal, the way in, the rule, the mode, the types, notifications; the poll from the minimum up.
    await expect(address).toHaveValue(portal.origin);
    await expect(address).not.toBeEditable();
    await expect(options.getByRole('textbox', { name: /Webhook URL/ })).toBeDisabled();
    await expect(options.getByText('Your administrator turned this way of connecting off.')).toBeVisible();
    const rule = options.getByRole('group', { name: /When an activity turns red/ });
    await expect(rule.getByRole('radio', { name: /reminder time/ })).toBeChecked();
    await expect(rule.getByRole('radio', { name: /reminder time/ })).toBeDisabled();
    await expect(rule.getByText('Set by your administrator.')).toBeVisible();
    const mode = options.getByRole('group', { name: /Whose counter/ });
    await expect(mode.getByRole('radio', { name: /item’s responsible/ })).toBeChecked();
    await expect(mode.getByRole('radio', { name: /item’s responsible/ })).toBeDisabled();
    await expect(options.getByRole('checkbox', { name: /Deals/ })).toBeDisabled();
    await expect(options.getByRole('checkbox', { name: /Desktop notifications/ })).toBeDisabled();
    const poll = options.getByRole('combobox', { name: /Check the portal for changes/ });
    await expect(poll).toHaveValue(String(MIN_POLL_SECONDS));
    expect(await poll.locator('option').evaluateAll((all) => all.map((o) => Number((o as HTMLOptionElement).value)))).not.toContain(5);
    await expect(options.getByText(`Your administrator set the shortest interval: every ${MIN_POLL_SECONDS} s.`)).toBeVisible();
    await expect(options.getByText(/Connected as/)).toHaveCount(0);
    // Locked is still readable: no serious accessibility violation.
    const violations = (await new AxeBuilder({ page: options }).analyze()).violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(violations.map((v) => v.id)).toEqual([]);

    // Auto-connect: signing in to the portal in a tab is all it takes, no click in the extension.
    await signIn(context, portal.origin, ANNA);
    await expect(options.getByText(`Connected as ${ANNA}`)).toBeVisible({ timeout: 30_000 });
    await expect(loginAlert).toBeEmpty();
    await expect.poll(async () => (await readBadge(worker)).title, { timeout: 30_000 }).toContain('Incoming:');

    // The minimum interval honoured: the next poll is MIN_POLL_SECONDS away, not the user's 5 s, which stays theirs.
    // Measured from the end of the run that armed it (not from now: a loaded machine may have taken seconds since).
    const pollIn = await worker.evaluate(async () => {
      const alarm = await chrome.alarms.get('sync-poll');
      const run = performance.getEntriesByName('sync-run').at(-1);
      return alarm && run ? (alarm.scheduledTime - (performance.timeOrigin + run.startTime + run.duration)) / 1000 : null;
    });
    // Up to 10 % early (timers that make requests are spread).
    expect(pollIn).toBeGreaterThanOrEqual(0.9 * MIN_POLL_SECONDS - 1);
    const stored = await worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
    expect(stored).toMatchObject({ pollSeconds: 5, litRule: 'day', counterMode: 'activity' });
    // And on the wire: 14 s after the first sync bring at most one poll, one request (5 s polls would bring two or three).
    const requestsBefore = portal.stats.requests;
    await new Promise((resolve) => setTimeout(resolve, 14_000));
    expect(portal.stats.requests - requestsBefore).toBeLessThanOrEqual(1);

    // The policy gone, the user's own settings are back, unlocked.
    policy.remove();
    policy = null;
    await expect.poll(() => worker.evaluate(() => chrome.storage.managed.get(null)), { timeout: 15_000 }).toEqual({});
    await expect(options.getByRole('textbox', { name: /Webhook URL/ })).toBeEnabled();
    await expect(rule.getByRole('radio', { name: /reminder time/ })).not.toBeChecked();
  } finally {
    policy?.remove();
    await browser?.close();
    await portal?.close();
    build?.remove();
  }
});
