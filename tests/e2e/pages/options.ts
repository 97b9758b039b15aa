// Page object for options.html, through its accessible names (docs/contract.md).
import { expect, type Locator, type Page } from '@playwright/test';

export class OptionsPage {
  readonly portalAddress: Locator;
  readonly useLoginButton: Locator;
  /** The login form's alert. */
  readonly loginAlert: Locator;
  readonly webhookUrl: Locator;
  readonly connectButton: Locator;
  readonly disconnectButton: Locator;
  /** The webhook form's alert. */
  readonly alert: Locator;

  constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {
    this.portalAddress = page.getByRole('textbox', { name: /Portal address/ });
    this.useLoginButton = page.getByRole('button', { name: 'Use my Bitrix24 login' });
    this.loginAlert = page.locator('form', { has: this.portalAddress }).getByRole('alert');
    this.webhookUrl = page.getByRole('textbox', { name: /Webhook URL/ });
    this.connectButton = page.getByRole('button', { name: 'Connect', exact: true });
    this.disconnectButton = page.getByRole('button', { name: 'Disconnect' });
    this.alert = page.locator('form', { has: this.webhookUrl }).getByRole('alert');
  }

  async open() {
    await this.page.goto(`chrome-extension://${this.extensionId}/options.html`);
    await expect(this.connectButton).toBeVisible();
  }

  async connect(url: string) {
    await this.webhookUrl.fill(url);
    await this.connectButton.click();
  }

  /** Connects with the browser's Bitrix24 login on this portal. */
  async connectLogin(address: string) {
    await this.portalAddress.fill(address);
    await this.useLoginButton.click();
  }

  /** With several portals connected: the button that disconnects this one (HOST with `:port`, contract "Several portals"). */
  disconnectHost(host: string): Locator {
    return this.page.getByRole('button', { name: `Disconnect ${host}`, exact: true });
  }

  connectedAs(name: string | RegExp) {
    return this.page.getByText(typeof name === 'string' ? `Connected as ${name}` : name);
  }
}
