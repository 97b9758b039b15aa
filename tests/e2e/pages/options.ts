// Page object for options.html, through its accessible names (docs/contract.md).
import { expect, type Locator, type Page } from '@playwright/test';

export class OptionsPage {
  readonly webhookUrl: Locator;
  readonly connectButton: Locator;
  readonly disconnectButton: Locator;
  readonly alert: Locator;

  constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {
    this.webhookUrl = page.getByRole('textbox', { name: /Webhook URL/ });
    this.connectButton = page.getByRole('button', { name: 'Connect', exact: true });
    this.disconnectButton = page.getByRole('button', { name: 'Disconnect' });
    this.alert = page.getByRole('alert');
  }

  async open() {
    await this.page.goto(`chrome-extension://${this.extensionId}/options.html`);
    await expect(this.connectButton).toBeVisible();
  }

  async connect(url: string) {
    await this.webhookUrl.fill(url);
    await this.connectButton.click();
  }

  connectedAs(name: string | RegExp) {
    return this.page.getByText(typeof name === 'string' ? `Connected as ${name}` : name);
  }
}
