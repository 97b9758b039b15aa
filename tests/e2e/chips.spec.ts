import type { Locator, Page } from '@playwright/test';
import type { DemoPortal } from '../../demo/server';
import { connectAndSync, expect, test, useSettings } from './fixtures';
import { addItemLinks, deal } from './pages/portal';
import { chooseSetting } from './pages/settings';
import { truthChip } from './truth';

interface ChipAttributes {
  entityTypeId: number;
  entityId: number;
  state: string;
  count: number;
  mine: boolean;
}

async function chipsIn(scope: Page | Locator | ReturnType<Page['frameLocator']>): Promise<ChipAttributes[]> {
  return scope.locator('crm-counter-chip').evaluateAll((chips) =>
    chips.map((chip) => ({
      entityTypeId: Number(chip.getAttribute('data-entity-type-id')),
      entityId: Number(chip.getAttribute('data-entity-id')),
      state: chip.getAttribute('data-state') ?? '',
      count: Number(chip.getAttribute('data-count')),
      mine: chip.getAttribute('data-mine') === 'true',
    })),
  );
}

function expectTruth(portal: DemoPortal, chips: ChipAttributes[], viewer = 1) {
  const now = Date.now();
  for (const chip of chips) {
    const truth = truthChip(portal.store, { entityTypeId: chip.entityTypeId, entityId: chip.entityId }, viewer, now);
    expect(truth, `${chip.entityTypeId}:${chip.entityId} should have no chip`).not.toBeNull();
    expect({ ...chip }).toEqual({
      entityTypeId: chip.entityTypeId,
      entityId: chip.entityId,
      state: truth!.state,
      count: truth!.count,
      mine: truth!.mine,
    });
  }
}

test.describe('Chips on CRM pages', () => {
  test.beforeEach(async ({ optionsPage, portal, serviceWorker }) => {
    await useSettings(serviceWorker, { pollSeconds: 5 });
    await connectAndSync(optionsPage, portal, serviceWorker);
  });

  test('the deal list: one chip per text link, as the counters say, also after the grid re-renders', async ({
    browserWithExtension,
    portal,
  }) => {
    const page = await browserWithExtension.context.newPage();
    await page.goto(`${portal.origin}/crm/deal/list/`);
    await expect(page.locator('#deal-rows crm-counter-chip').first()).toBeAttached();
    // The first row of an open deal: closed deals get no chip.
    const ids = await page.locator('#deal-rows tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
    const openId = ids.find((id) => truthChip(portal.store, { entityTypeId: 2, entityId: id }, 1) !== null);
    const closedId = ids.find((id) => truthChip(portal.store, { entityTypeId: 2, entityId: id }, 1) === null);
    expect(openId).toBeDefined();
    const row = page.locator(`#deal-rows tr[data-id="${openId}"]`);
    // A chip is the next sibling of its link.
    const title = row.locator('a.deal-title');
    await expect(title.locator('xpath=following-sibling::*[1]')).toHaveJSProperty('localName', 'crm-counter-chip');
    // Absolute and relative-with-query links get one; the icon-only link and the new-item link get none.
    await expect(row.locator('a.deal-open + crm-counter-chip')).toHaveCount(1);
    await expect(row.locator('a.deal-icon + crm-counter-chip')).toHaveCount(0);
    await expect(page.locator('a[href="/crm/deal/details/0/"] + crm-counter-chip')).toHaveCount(0);
    if (closedId !== undefined) {
      await expect(page.locator(`#deal-rows tr[data-id="${closedId}"] a.deal-title + crm-counter-chip`)).toHaveCount(0);
    }
    const chips = await chipsIn(page);
    expect(chips.length).toBeGreaterThan(10);
    expectTruth(portal, chips);

    // In-page paging replaces the rows: the new ones get chips too.
    const before = await page.locator('#deal-rows tr').first().getAttribute('data-id');
    await page.getByRole('button', { name: /Next/ }).click();
    await expect(page.locator('#deal-rows tr').first()).not.toHaveAttribute('data-id', before ?? '');
    await expect(page.locator('#deal-rows tr').first().locator('crm-counter-chip').first()).toBeAttached();
    expectTruth(portal, await chipsIn(page));
  });

  test('the worked examples of counters.md, end to end', async ({ browserWithExtension, portal }) => {
    const page = await browserWithExtension.context.newPage();
    await page.goto(`${portal.origin}/crm/lead/list/`);
    const chipOf = await addItemLinks(page, 'examples', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(deal));
    const chip = (id: number) => chipOf(deal(id));
    // deal: [data-state, data-count, data-mine] (demo/README.md maps the deals to the examples)
    const expected: [number, string, string, string][] = [
      [1, 'planned', '1', 'true'],
      [2, 'planned', '3', 'true'],
      [3, 'incoming', '1', 'true'],
      [4, 'both', '2', 'true'],
      [5, 'others', '1', 'false'],
      [6, 'planned', '1', 'true'],
      [7, 'planned', '1', 'true'],
      [9, 'waiting', '0', 'true'],
      [10, 'idle', '0', 'true'],
    ];
    for (const [id, state, count, mine] of expected) {
      await expect(chip(id)).toHaveAttribute('data-state', state);
      await expect(chip(id)).toHaveAttribute('data-count', count);
      await expect(chip(id)).toHaveAttribute('data-mine', mine);
    }
    // Example 9 of counters.md: a won deal gets no chip.
    await expect(chip(8)).toHaveCount(0);
  });

  test('kanban cards loaded later, in-page navigation and the side-panel slider iframe', async ({
    browserWithExtension,
    portal,
  }) => {
    const page = await browserWithExtension.context.newPage();
    await page.goto(`${portal.origin}/crm/deal/list/`);
    await expect(page.locator('#deal-rows crm-counter-chip').first()).toBeAttached();
    // In-page navigation to the kanban (pushState, no reload).
    await page.locator('[data-view-tab="kanban"]').click();
    await expect(page).toHaveURL(/kanban/);
    // A column with more cards than one load (8): the rest come as it scrolls.
    const stage = 'EXECUTING';
    const total = [...portal.store.deals.values()].filter((d) => d.stageId === stage).length;
    expect(total).toBeGreaterThan(8);
    const column = page.locator(`.column[data-stage="${stage}"] .cards`);
    await expect(column.locator('.card crm-counter-chip').first()).toBeAttached();
    await expect
      .poll(async () => {
        await column.evaluate((el) => el.scrollTo(0, el.scrollHeight));
        return column.locator('.card').count();
      })
      .toBe(total);
    await expect(column.locator('.card a.deal-title + crm-counter-chip')).toHaveCount(total);
    expectTruth(portal, await chipsIn(page));

    // The slider: an iframe of the same origin gets chips too.
    await page.locator('[data-view-tab="list"]').click();
    await page.locator('#deal-rows a.deal-title').first().click();
    const frame = page.frameLocator('iframe.side-panel-frame');
    await expect(frame.locator('crm-counter-chip').first()).toBeAttached();
    expectTruth(portal, await chipsIn(frame.locator('body')));
  });

  test('links added to a page later get chips, and chips follow a portal change', async ({
    browserWithExtension,
    portal,
  }) => {
    const page = await browserWithExtension.context.newPage();
    await page.goto(`${portal.origin}/crm/contact/list/`);
    await page.evaluate(() => {
      const box = document.createElement('p');
      box.id = 'added';
      box.innerHTML =
        '<a href="/crm/deal/details/1/">Deal one</a> <a href="/crm/deal/details/3/?from=test#top">Deal three</a> <a href="/crm/lead/details/0/">New lead</a>';
      document.body.append(box);
    });
    const dealOne = page.locator('#added a[href="/crm/deal/details/1/"] + crm-counter-chip');
    await expect(dealOne).toHaveAttribute('data-state', 'planned');
    await expect(page.locator('#added a[href="/crm/lead/details/0/"] + crm-counter-chip')).toHaveCount(0);

    // An incoming call on deal 1 turns its chip to both.
    portal.call('crm.activity.add', {
      fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, DIRECTION: 1, SUBJECT: 'Call from e2e' },
    });
    await expect(dealOne).toHaveAttribute('data-state', 'both', { timeout: 20_000 });
    await expect(dealOne).toHaveAttribute('data-count', '2');
  });
});

test('a person using the demo controls sees the chip change on the item page', async ({
  browserWithExtension,
  optionsPage,
  portal,
  serviceWorker,
}) => {
  await useSettings(serviceWorker, { pollSeconds: 5 });
  await connectAndSync(optionsPage, portal, serviceWorker);
  const page = await browserWithExtension.context.newPage();
  // Deal 9: a to-do due in three days, so its chip reads waiting 0.
  await page.goto(`${portal.origin}/crm/deal/list/?page=1`);
  const chip = (await addItemLinks(page, 'nine', [deal(9)]))(deal(9));
  await expect(chip).toHaveAttribute('data-state', 'waiting');
  await page.getByText('Demo controls').click();
  await page.getByLabel('Item type').selectOption('2');
  await page.getByLabel('Item ID').fill('9');
  await page.getByRole('button', { name: 'Missed call' }).click();
  await expect(page.locator('#demo-control-out')).not.toBeEmpty();
  await expect(chip).toHaveAttribute('data-state', 'incoming', { timeout: 20_000 });
  await expect(chip).toHaveAttribute('data-count', '1');
});

test('an open item the extension has not stored (a contact without open activities) is looked up and gets its chip', async ({
  browserWithExtension,
  optionsPage,
  portal,
  serviceWorker,
}) => {
  await connectAndSync(optionsPage, portal, serviceWorker);
  // A contact that no open activity is bound to: the first sync does not copy it.
  const bound = new Set<number>();
  for (const a of portal.store.activities.values()) {
    if (!a.completed) for (const b of a.bindings) if (b.entityTypeId === 3) bound.add(b.entityId);
  }
  const contact = [...portal.store.contacts.values()].find((c) => !bound.has(c.id));
  expect(contact).toBeDefined();
  const page = await browserWithExtension.context.newPage();
  await page.goto(`${portal.origin}/crm/contact/details/${contact!.id}/`);
  const lonely = { entityTypeId: 3, entityId: contact!.id };
  const chip = (await addItemLinks(page, 'lonely', [lonely]))(lonely);
  await expect(chip).toHaveAttribute('data-state', 'idle');
  await expect(chip).toHaveAttribute('data-count', '0');
  await expect(chip).toHaveAttribute('data-mine', String(contact!.assignedById === 1));
});

test("chips follow the popup's Employee choice", async ({
  browserWithExtension,
  optionsPage,
  popupPage,
  portal,
  serviceWorker,
}) => {
  await connectAndSync(optionsPage, portal, serviceWorker);
  const page = await browserWithExtension.context.newPage();
  await page.goto(`${portal.origin}/crm/deal/details/5/`);
  const chip = (await addItemLinks(page, 'five', [deal(5)]))(deal(5));
  // Deal 5 is user 2's, holding user 1's overdue to-do (worked example 6).
  await expect(chip).toHaveAttribute('data-state', 'others');
  await expect(chip).toHaveAttribute('data-mine', 'false');
  await popupPage.open();
  await popupPage.employee.selectOption('2');
  await expect(chip).toHaveAttribute('data-state', 'planned');
  await expect(chip).toHaveAttribute('data-mine', 'true');
  const truth = truthChip(portal.store, { entityTypeId: 2, entityId: 5 }, 2);
  await expect(chip).toHaveAttribute('data-count', String(truth?.count));
});

test('every row of the chip table, in item mode and in activity mode, equals the counters', async ({
  browserWithExtension,
  optionsPage,
  portal,
  serviceWorker,
}) => {
  await connectAndSync(optionsPage, portal, serviceWorker);
  const page = await browserWithExtension.context.newPage();
  await page.goto(`${portal.origin}/crm/lead/list/`);
  // Links to every deal and to the first leads and contacts.
  const refs = [
    ...[...portal.store.deals.keys()].map((id) => ({ entityTypeId: 2, entityId: id })),
    ...[...portal.store.leads.keys()].slice(0, 20).map((id) => ({ entityTypeId: 1, entityId: id })),
    ...[...portal.store.contacts.keys()].slice(0, 20).map((id) => ({ entityTypeId: 3, entityId: id })),
  ];
  await addItemLinks(page, 'all', refs);

  const check = async (mode: 'item' | 'activity') => {
    const now = Date.now();
    const expected = refs
      .map((ref) => ({ ref, truth: truthChip(portal.store, ref, 1, now, { mode }) }))
      .filter((e) => e.truth !== null);
    const chips = page.locator('#all crm-counter-chip');
    await expect(chips).toHaveCount(expected.length, { timeout: 15_000 });
    await expect
      .poll(async () => {
        const seen = await chipsIn(page.locator('#all'));
        return expected.every(({ ref, truth }) =>
          seen.some(
            (c) =>
              c.entityTypeId === ref.entityTypeId &&
              c.entityId === ref.entityId &&
              c.state === truth!.state &&
              c.count === truth!.count &&
              c.mine === truth!.mine,
          ),
        );
      })
      .toBe(true);
    return new Set(expected.map((e) => `${e.truth!.state}/${e.truth!.mine}`));
  };

  const itemRows = await check('item');
  for (const row of ['both/true', 'planned/true', 'incoming/true', 'waiting/true', 'idle/true', 'others/false', 'waiting/false']) {
    expect(itemRows).toContain(row);
  }
  await chooseSetting(optionsPage.page, 'The activity’s responsible person');
  const activityRows = await check('activity');
  expect(activityRows.size).toBeGreaterThan(3);
});
