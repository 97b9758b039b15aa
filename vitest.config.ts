import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['lib/**/*.test.ts', 'demo/**/*.test.ts', 'tests/unit/**/*.test.ts', 'components/**/*.test.ts', 'components/**/*.test.tsx'],
    setupFiles: ['tests/unit/setup.ts'],
    reporters: ['default', './tests/reporters/vitest-summary.ts'],
    testTimeout: 20_000,
  },
});
