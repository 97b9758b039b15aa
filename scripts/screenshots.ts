// `npm run screenshots`: pictures of the popup (light and dark), the options
// page and a CRM page with chips, from the demo build against the demo portal,
// into docs/screenshots/ (shown in the README).
import { mkdirSync } from 'node:fs';
import { startPortal } from '../demo/server';
import { launchWithExtension } from './chromium';

const OUT = 'docs/screenshots';

async function main() {
  mkdirSync(OUT, { recursive: true });
  const portal = await startPortal({ port: 0, quiet: true });
  const browser = await launchWithExtension();
  try {
    const options = await browser.context.newPage();
    await options.setViewportSize({ width: 760, height: 560 });
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByRole('textbox', { name: /Webhook URL/ }).fill(portal.webhookUrl);
    await options.getByRole('button', { name: 'Connect', exact: true }).click();
    await options.getByText(/Connected as/).waitFor();
    await browser.worker.evaluate(async () => {
      for (let i = 0; i < 100; i++) {
        if ((await chrome.action.getTitle({})).includes('Incoming:')) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    });
    await options.screenshot({ path: `${OUT}/options.png` });

    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    for (const scheme of ['light', 'dark'] as const) {
      await popup.emulateMedia({ colorScheme: scheme });
      await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
      await popup.locator('[data-counter="incoming"]').waitFor();
      await popup.screenshot({ path: `${OUT}/popup-${scheme}.png` });
    }

    const crm = await browser.context.newPage();
    await crm.setViewportSize({ width: 1200, height: 700 });
    await crm.goto(`${portal.origin}/crm/deal/list/`);
    await crm.locator('#deal-rows crm-counter-chip').first().waitFor();
    await crm.screenshot({ path: `${OUT}/deal-list.png` });
    console.log(`Screenshots written to ${OUT}/`);
  } finally {
    await browser.close();
    await portal.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
