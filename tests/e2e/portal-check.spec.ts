// Agreement with the portal's own counters (issue #19; contract, "Agreement
// with the portal's own counters"), with the demo portal's crm.counter.list
// switched on: the first number is already the portal's, a user's own rule
// shows as a difference after two checks with the offer to follow, types the
// user may not read are named and left out, a lagging answer waits for the
// next check; with the method off nothing changes.
import type { Worker } from '@playwright/test';
import { REP_SECRET, REP_USER_ID } from '../../demo/config';
import { counterList, defaultCounterList } from '../../demo/counter-list';
import type { DemoPortal } from '../../demo/server';
import { type DemoActivity, insertActivity, removeActivity, semanticOf } from '../../demo/store';
import { connectAndSync, expect, readBadge, test, useSettings } from './fixtures';
import { truthTotals } from './truth';

const MIN = 60_000;
const COUNTED = [1, 2, 3, 4, 128];

/** The sum of the portal's own incomingchannel and current over the counted types, for a user, now. */
function portalSums(portal: DemoPortal, userId: number): { incoming: number; planned: number } {
  let incoming = 0;
  let planned = 0;
  for (const entityTypeId of COUNTED) {
    try {
      const { result } = counterList({ entityTypeId }, { store: portal.store, userId, now: Date.now(), offsetMinutes: portal.clock.offsetMinutes }) as {
        result: Record<string, number>;
      };
      const prefix = entityTypeId === 1 ? 'lead' : entityTypeId === 2 ? 'deal' : entityTypeId === 3 ? 'contact' : entityTypeId === 4 ? 'company' : `dynamic_${entityTypeId}`;
      incoming += result[`crm_${prefix}_incomingchannel`] ?? 0;
      planned += result[`crm_${prefix}_current`] ?? 0;
    } catch {
      // Denied or off for this user: not in the portal's sum the badge is held to.
    }
  }
  return { incoming, planned };
}

/** The demo build's "check now" (contract, Builds). */
async function checkNow(worker: Worker): Promise<void> {
  await worker.evaluate(() => chrome.storage.local.set({ portalCheckNow: Date.now() }));
}

/** An open to-do on a deal, straight into the demo store. */
function todo(portal: DemoPortal, dealId: number, patch: Partial<DemoActivity>): DemoActivity {
  const id = portal.store.nextId.activity;
  const a: DemoActivity = {
    id,
    ownerTypeId: 2,
    ownerId: dealId,
    bindings: [{ entityTypeId: 2, entityId: dealId }],
    typeId: 6,
    providerId: 'CRM_TODO',
    providerTypeId: 'TODO',
    direction: 2,
    completed: false,
    status: 1,
    subject: `Check ${id}`,
    description: '',
    priority: 2,
    responsibleId: 1,
    authorId: 1,
    created: Date.now() - 3_600_000,
    startTime: null,
    endTime: null,
    deadline: null,
    notifyType: 0,
    notifyValue: 0,
    lastUpdated: Math.floor(Date.now() / 1000) * 1000,
    settings: {},
    isIncomingChannel: false,
    ...patch,
  };
  insertActivity(portal.store, a);
  return a;
}

const openDealOf = (portal: DemoPortal, userId: number) =>
  [...portal.store.deals.values()].find((d) => d.assignedById === userId && !d.isRecurring && semanticOf(portal.store, d.stageId) === 'P')!;

test.describe('Agreement with the portal’s own counters', () => {
  test('a portal counting by light time and activity mode: the first number is already the portal’s, and the popup says match', async ({
    optionsPage,
    popupPage,
    portal,
    serviceWorker,
  }) => {
    portal.store.counterList = { ...defaultCounterList(), enabled: true, mode: 'activity' };
    await useSettings(serviceWorker, { pollSeconds: 5 });
    await connectAndSync(optionsPage, portal, serviceWorker);
    const expected = portalSums(portal, 1);
    const title = (await readBadge(serviceWorker)).title;
    expect(title).toContain(`Incoming: ${expected.incoming}`);
    expect(title).toContain(`Planned: ${expected.planned}`);
    // The seed's rule would count otherwise: the number shown is the portal's way, not day's.
    expect(truthTotals(portal.store, 1, Date.now(), { litRule: 'lightTime', mode: 'activity' })).toMatchObject(expected);
    await popupPage.open();
    await expect(popupPage.page.locator('[data-portal-check]')).toHaveAttribute('data-state', 'match');
    await expect(popupPage.page.locator('[data-portal-check]')).toContainText('Same numbers as your portal’s own counters');
    // The settings say what is followed.
    await optionsPage.page.reload();
    await expect(optionsPage.page.getByText('As your portal counts: light time, activity responsible')).toBeVisible();
  });

  test('a user who chose rule day: differs after two checks, naming the type and the size, with the offer to follow', async ({
    optionsPage,
    popupPage,
    portal,
    serviceWorker,
  }) => {
    portal.store.counterList = { ...defaultCounterList(), enabled: true };
    // Only activities this test knows: two to-dos lit by their reminders (NOTIFY two days), due after today.
    for (const a of [...portal.store.activities.values()]) removeActivity(portal.store, a);
    const deal = openDealOf(portal, 1);
    for (let i = 0; i < 2; i++) todo(portal, deal.id, { deadline: Date.now() + 30 * 3_600_000, notifyType: 3, notifyValue: 2 });
    await useSettings(serviceWorker, { pollSeconds: 5, litRule: 'day' });
    await connectAndSync(optionsPage, portal, serviceWorker);
    expect((await readBadge(serviceWorker)).title).toContain('Planned: 0');
    await popupPage.open();
    const check = popupPage.page.locator('[data-portal-check]');
    // One disagreement waits for the next check.
    await expect(check).toHaveAttribute('data-state', 'checking');
    await checkNow(serviceWorker);
    await expect(check).toHaveAttribute('data-state', 'differs', { timeout: 20_000 });
    await expect(check).toContainText('Deals: Planned 0 here, 2 on the portal');
    await expect(check).toContainText('Counting by light time and item responsible would agree.');
    // Following the portal: the badge counts as it does.
    await check.getByRole('button', { name: 'Count as your portal does' }).click();
    await expect.poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 }).toContain('Planned: 2');
  });

  test('a rep without access to leads and to a pipeline: those named as skipped, the rest compared, the sync unharmed', async ({
    optionsPage,
    popupPage,
    portal,
    serviceWorker,
  }) => {
    portal.store.counterList = { ...defaultCounterList(), enabled: true, denied: { [REP_USER_ID]: { types: [1], dealCategories: [1] } } };
    await useSettings(serviceWorker, { pollSeconds: 5 });
    await optionsPage.connect(`${portal.origin}/rest/${REP_USER_ID}/${REP_SECRET}/`);
    await expect(optionsPage.connectedAs(/Connected as/)).toBeVisible();
    await expect.poll(async () => (await readBadge(serviceWorker)).title, { timeout: 30_000 }).toContain('Incoming:');
    await popupPage.open();
    const check = popupPage.page.locator('[data-portal-check]');
    await expect(check).toHaveAttribute('data-state', 'match');
    await expect(check).toContainText('Not compared (no access, or counters off): Leads');
    const title = (await readBadge(serviceWorker)).title;
    const rest = portalSums(portal, REP_USER_ID);
    const leads = truthTotals(portal.store, REP_USER_ID, Date.now(), { litRule: 'lightTime' }).byEntityType[1];
    // Leads are still counted (the copy has them); the other types are the portal's.
    expect(title).toContain(`Incoming: ${rest.incoming + leads.incoming}`);
    expect(title).toContain(`Planned: ${rest.planned + leads.planned}`);
    expect(title).not.toMatch(/fail|error/i);

    // A difference in deals (the portal's cache lagging a new to-do once) is located by pipeline at the next check:
    // the pipeline the rep may not read is named too.
    const repDeal = [...portal.store.deals.values()].find(
      (d) => d.assignedById === REP_USER_ID && d.categoryId === 0 && !d.isRecurring && semanticOf(portal.store, d.stageId) === 'P',
    )!;
    const before = portalSums(portal, REP_USER_ID).planned;
    todo(portal, repDeal.id, { deadline: Date.now() - 5 * MIN, responsibleId: REP_USER_ID, authorId: REP_USER_ID });
    portal.store.counterList.lagOnce = [2];
    await expect.poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 }).toContain(`Planned: ${before + 1 + leads.planned}`);
    await checkNow(serviceWorker);
    await expect(check).toHaveAttribute('data-state', 'checking', { timeout: 20_000 });
    await checkNow(serviceWorker);
    await expect(check).toHaveAttribute('data-state', 'match', { timeout: 20_000 });
    await expect(check).toContainText(/Not compared \(no access, or counters off\): Leads; Deals, pipeline /);
  });

  test('a lagging answer: checking, then match', async ({ optionsPage, popupPage, portal, serviceWorker }) => {
    portal.store.counterList = { ...defaultCounterList(), enabled: true };
    await useSettings(serviceWorker, { pollSeconds: 5 });
    await connectAndSync(optionsPage, portal, serviceWorker);
    await popupPage.open();
    const check = popupPage.page.locator('[data-portal-check]');
    await expect(check).toHaveAttribute('data-state', 'match');
    // A lit to-do on user 1's deal; the portal's counter cache lags it once.
    const before = portalSums(portal, 1).planned;
    todo(portal, openDealOf(portal, 1).id, { deadline: Date.now() - 5 * MIN });
    portal.store.counterList.lagOnce = [2];
    await expect.poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 }).toContain(`Planned: ${before + 1}`);
    await checkNow(serviceWorker);
    await expect(check).toHaveAttribute('data-state', 'checking', { timeout: 20_000 });
    await checkNow(serviceWorker);
    await expect(check).toHaveAttribute('data-state', 'match', { timeout: 20_000 });
  });

  test('the method off: no element, and today’s numbers', async ({ optionsPage, popupPage, portal, serviceWorker }) => {
    await useSettings(serviceWorker, { pollSeconds: 5 });
    await connectAndSync(optionsPage, portal, serviceWorker);
    const truth = truthTotals(portal.store, 1);
    const title = (await readBadge(serviceWorker)).title;
    expect(title).toContain(`Incoming: ${truth.incoming}`);
    expect(title).toContain(`Planned: ${truth.planned}`);
    await popupPage.open();
    await expect(popupPage.incoming).toBeVisible();
    await expect(popupPage.page.locator('[data-portal-check]')).toHaveCount(0);
    // The diagnostics say so, without the webhook's secret.
    await optionsPage.page.getByRole('button', { name: 'Copy diagnostics' }).click();
    const report = await optionsPage.page.locator('[data-diagnostics]').inputValue();
    expect(report).toContain('"state": "unavailable"');
    expect(report).toContain('ERROR_METHOD_NOT_FOUND');
    expect(report).not.toContain(portal.webhookUrl.split('/')[5]);
  });
});
