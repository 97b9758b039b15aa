// `npm start`: builds the demo build, starts the demo portal, and opens
// Chromium with the extension connected to it the way people should see
// first: signed in to the portal, then "Use my Bitrix24 login" on the
// options page, as a user would. Ends on the portal's deal list.
import { spawnSync } from 'node:child_process';
import { DEFAULT_PORT } from '../demo/config';
import { startPortal } from '../demo/server';
import { launchWithExtension } from './chromium';

const port = Number(process.env.PORT ?? DEFAULT_PORT);

function hasDisplay(): boolean {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

async function main() {
  if (!process.argv.includes('--no-build')) {
    const build = spawnSync('npx', ['wxt', 'build', '--mode', 'demo'], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const portal = await startPortal({ port });
  console.log(`Webhook: ${portal.webhookUrl}`);
  console.log(`Demo CRM: ${portal.origin}/crm/deal/list/ (sign in at ${portal.origin}/auth/)`);
  const stop = async () => {
    await portal.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (!hasDisplay()) {
    console.log(
      `No display here to open a browser: run \`xvfb-run npm start\` (or load .output/chrome-mv3-demo by hand); the demo portal keeps running at ${portal.origin} (Ctrl+C stops it).`,
    );
    return;
  }

  const browser = await launchWithExtension({ headless: false });
  // Signed in to the portal as its first user (the sign-in page lists everyone).
  const crm = await browser.context.newPage();
  await crm.goto(`${portal.origin}/auth/`);
  await crm.getByRole('button', { name: /^Sign in as / }).first().click();
  await crm.waitForURL((url) => !url.pathname.startsWith('/auth'));
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.getByRole('textbox', { name: /Portal address/ }).fill(portal.origin);
  await options.getByRole('button', { name: 'Use my Bitrix24 login' }).click();
  await options.getByText(/Connected as/).waitFor({ timeout: 30_000 });
  await crm.bringToFront();
  await crm.goto(`${portal.origin}/crm/deal/list/`);
  console.log('The browser is open with the extension connected through your demo login. Pin the extension (puzzle icon → pin) to see its badge. Close the browser or press Ctrl+C to stop.');
  browser.context.on('close', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
