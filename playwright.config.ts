import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // Each test drives its own Chromium with the extension. Most of a test's time is spent waiting (polls,
  // timers, Chromium's first policy answer of ~3 s), so two cores run three: 369 s instead of 537 s on a quiet
  // machine, all 77 green. E2E_WORKERS overrides it.
  workers: Number(process.env.E2E_WORKERS) || 3,
  fullyParallel: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['./tests/reporters/fault-table.ts'], ['./tests/reporters/playwright-summary.ts']],
  use: { trace: 'retain-on-failure' },
  // One project: the policy test names its own copy of the demo build (tests/e2e/policy-file.ts), so it
  // runs beside the others.
  projects: [{ name: 'e2e' }],
});
