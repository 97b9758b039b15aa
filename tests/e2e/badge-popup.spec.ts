import { connectAndSync, expect, readBadge, test, useSettings } from './fixtures';
import { truthLists, truthTotals } from './truth';

const RED = [245, 72, 25, 255];
const GREEN = [157, 207, 0, 255];

test.describe('Badge and popup', () => {
  test.beforeEach(async ({ serviceWorker }) => {
    await useSettings(serviceWorker, { pollSeconds: 5 });
  });

  test('the badge shows All of the connected user, in the right colour, after the first full sync', async ({
    optionsPage,
    portal,
    serviceWorker,
  }) => {
    await connectAndSync(optionsPage, portal, serviceWorker);
    const truth = truthTotals(portal.store, 1);
    const badge = await readBadge(serviceWorker);
    expect(truth.all).toBeGreaterThan(0);
    expect(badge.text).toBe(truth.all > 99 ? '99+' : String(truth.all));
    expect(badge.color).toEqual(truth.planned > 0 ? RED : GREEN);
    expect(badge.title).toContain(`Incoming: ${truth.incoming}`);
    expect(badge.title).toContain(`Planned: ${truth.planned}`);
  });

  test('a new incoming call on the portal shows within a poll', async ({ optionsPage, portal, serviceWorker }) => {
    await connectAndSync(optionsPage, portal, serviceWorker);
    const before = truthTotals(portal.store, 1);
    portal.call('crm.activity.add', {
      fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, DIRECTION: 1, SUBJECT: 'Incoming call from e2e' },
    });
    const after = truthTotals(portal.store, 1);
    expect(after.incoming).toBe(before.incoming + 1);
    await expect
      .poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 })
      .toContain(`Incoming: ${after.incoming}`);
  });

  test('the popup lists one entry per pair, grouped, and switches to a teammate', async ({
    optionsPage,
    popupPage,
    portal,
    serviceWorker,
  }) => {
    await connectAndSync(optionsPage, portal, serviceWorker);
    await popupPage.open();
    const truth = truthTotals(portal.store, 1);
    const lists = truthLists(portal.store, 1);
    expect(await popupPage.counts()).toEqual({ incoming: truth.incoming, planned: truth.planned });
    await expect(popupPage.entries(popupPage.incoming)).toHaveCount(truth.incoming);
    await expect(popupPage.entries(popupPage.planned)).toHaveCount(truth.planned);
    const firstIncoming = lists.incoming[0];
    await expect(popupPage.entries(popupPage.incoming).first()).toHaveAttribute(
      'data-activity-id',
      String(firstIncoming.activity.id),
    );
    if (lists.planned.overdue.length) await expect(popupPage.planned.getByRole('heading', { name: /Overdue/ })).toBeVisible();
    if (lists.planned.today.length) await expect(popupPage.planned.getByRole('heading', { name: /Today/ })).toBeVisible();

    // The selector: the connected user first, then teammates by name.
    const options = popupPage.employee.locator('option');
    await expect(options.first()).toHaveAttribute('value', '1');
    await expect(options.first()).toContainText('Anna Schmidt');
    const values = await options.evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    const teammate = Number(values[1]);
    expect(teammate).toBeGreaterThan(1);
    await popupPage.employee.selectOption(String(teammate));
    const teammateTruth = truthTotals(portal.store, teammate);
    await expect(popupPage.incoming).toHaveAttribute('data-count', String(teammateTruth.incoming));
    await expect(popupPage.planned).toHaveAttribute('data-count', String(teammateTruth.planned));

    // Remembered on the next opening.
    await popupPage.page.reload();
    await expect(popupPage.employee).toHaveValue(String(teammate));
  });

  test('the popup says when not connected, and never reads portal text as HTML', async ({
    optionsPage,
    popupPage,
    portal,
    serviceWorker,
  }) => {
    await popupPage.open();
    await expect(popupPage.page.getByText('Not connected')).toBeVisible();
    await expect(popupPage.page.getByRole('button', { name: 'Connect a portal' })).toBeVisible();

    const hostile = '<img src=x onerror="document.title=\'pwned\'">Deal <b>bold</b>';
    portal.call('crm.deal.update', { id: 1, fields: { TITLE: hostile } });
    await connectAndSync(optionsPage, portal, serviceWorker);
    await popupPage.open();
    await expect(popupPage.page.getByText(hostile).first()).toBeVisible();
    await expect(popupPage.page.locator('img[src="x"]')).toHaveCount(0);
    expect(await popupPage.page.title()).not.toBe('pwned');
  });
});

test('an entry opens its item in the open portal tab', async ({
  browserWithExtension,
  optionsPage,
  popupPage,
  portal,
  serviceWorker,
}) => {
  await useSettings(serviceWorker, { pollSeconds: 5 });
  await connectAndSync(optionsPage, portal, serviceWorker);
  const portalTab = await browserWithExtension.context.newPage();
  await portalTab.goto(`${portal.origin}/crm/lead/list/`);
  await popupPage.open();
  const entry = popupPage.entries(popupPage.planned).first();
  const type = await entry.getAttribute('data-entity-type-id');
  const id = await entry.getAttribute('data-entity-id');
  const href = await entry.locator('a').getAttribute('href');
  expect(href).toMatch(new RegExp(`/details/${id}/$`));
  const pagesBefore = browserWithExtension.context.pages().length;
  await entry.locator('a').click();
  await expect(portalTab).toHaveURL(href!);
  // No new tab: the popup closed itself and the portal tab was reused.
  expect(browserWithExtension.context.pages().length).toBeLessThanOrEqual(pagesBefore);
  expect(type).not.toBeNull();
});

test('the popup says why syncing fails and keeps the last good lists', async ({
  optionsPage,
  popupPage,
  portal,
  serviceWorker,
}) => {
  await useSettings(serviceWorker, { pollSeconds: 5 });
  await connectAndSync(optionsPage, portal, serviceWorker);
  portal.faults.set({ revoked: true });
  await expect
    .poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 })
    .toContain('refused this webhook');
  await popupPage.open();
  await expect(popupPage.page.getByRole('alert').filter({ hasText: 'refused this webhook' })).toBeVisible();
  const truth = truthTotals(portal.store, 1);
  await expect(popupPage.incoming).toHaveAttribute('data-count', String(truth.incoming));
  await expect(popupPage.page.locator('.status.stale')).toBeVisible();
});

test('the popup shows first-sync progress, then the reason when the first sync fails', async ({
  optionsPage,
  popupPage,
  portal,
}) => {
  portal.faults.set({ latencyMs: 400 });
  await optionsPage.connect(portal.webhookUrl);
  await expect(optionsPage.connectedAs(/Connected as/)).toBeVisible();
  await popupPage.open();
  await expect(popupPage.page.getByText(/First sync/).first()).toBeVisible();
  await expect(popupPage.incoming).toHaveCount(0);
  portal.faults.set({ revoked: true, latencyMs: 0 });
  await expect(popupPage.page.getByText('refused this webhook')).toBeVisible({ timeout: 20_000 });
  await expect(popupPage.page.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(popupPage.incoming).toHaveCount(0);
});

test('the breakdown names the deal pipelines', async ({ optionsPage, popupPage, portal, serviceWorker }) => {
  await connectAndSync(optionsPage, portal, serviceWorker);
  await popupPage.open();
  await popupPage.page.getByText('By type and pipeline').click();
  const truth = truthTotals(portal.store, 1);
  for (const [category, counts] of Object.entries(truth.byDealCategory)) {
    if (counts.all === 0) continue;
    const name = portal.store.dealCategories.get(Number(category))!.name;
    await expect(popupPage.page.getByRole('rowheader', { name: `Pipeline: ${name}` })).toBeVisible();
  }
  const deals = truth.byEntityType[2];
  await expect(popupPage.page.getByRole('row', { name: /^deal/ })).toContainText(`${deals.incoming}${deals.planned}`);
});
