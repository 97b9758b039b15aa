import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // Each test drives its own Chromium with the extension; two cores run two.
  workers: process.env.CI ? 2 : 2,
  fullyParallel: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['./tests/reporters/fault-table.ts'], ['./tests/reporters/playwright-summary.ts']],
  use: { trace: 'retain-on-failure' },
  projects: [
    { name: 'e2e', testIgnore: '**/policy.spec.ts' },
    // A machine-wide Chromium policy for the demo build's ID (tests/e2e/policy-file.ts): one test at a
    // time, queued after every e2e test (projects run in this order), and it waits for the last of them
    // to close its browser before it writes the file; browsers launched meanwhile wait for it to go.
    { name: 'policy', testMatch: '**/policy.spec.ts', fullyParallel: false, workers: 1 },
  ],
});
