// Page object for popup.html (opened in a tab: the same page as the toolbar popup).
import { expect, type Locator, type Page } from '@playwright/test';

export class PopupPage {
  readonly employee: Locator;
  /** The Portal select, with two or more portals connected (contract "Several portals"). */
  readonly portal: Locator;
  readonly incoming: Locator;
  readonly planned: Locator;

  constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {
    this.employee = page.getByRole('combobox', { name: /Employee/ });
    this.portal = page.getByRole('combobox', { name: /Portal/ });
    this.incoming = page.locator('[data-counter="incoming"]');
    this.planned = page.locator('[data-counter="planned"]');
  }

  async open() {
    await this.page.goto(`chrome-extension://${this.extensionId}/popup.html`);
  }

  /** The options of a select as value and text, in order, once it has at least `atLeast` (the popup fills its selects when the worker answers). */
  async optionsOf(select: Locator, atLeast = 1): Promise<{ value: string; text: string }[]> {
    await expect.poll(() => select.locator('option').count()).toBeGreaterThanOrEqual(atLeast);
    return select.locator('option').evaluateAll((els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, text: e.textContent ?? '' })));
  }

  async counts(): Promise<{ incoming: number; planned: number }> {
    await expect(this.incoming).toBeVisible();
    return {
      incoming: Number(await this.incoming.getAttribute('data-count')),
      planned: Number(await this.planned.getAttribute('data-count')),
    };
  }

  entries(section: Locator): Locator {
    return section.locator('[data-activity-id]');
  }
}
