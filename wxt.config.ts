import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { MANAGED_SCHEMA } from './lib/managed-schema';
import { buildManifest, MANAGED_SCHEMA_FILE } from './lib/manifest';
import { LOOPBACK_MATCHES } from './lib/portal-hosts';

// The demo flavour is `--mode demo`: WXT writes it to `.output/<browser>-mv3-demo/`.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  vite: () => ({
    plugins: [preact()],
  }),
  manifest: ({ browser, mode }) => buildManifest({ browser, demo: mode === 'demo' }),
  // `wxt zip -b firefox` also packs the sources for addons.mozilla.org's reviewers. WXT leaves
  // out node_modules, .output, dotfiles and tests; leave out the test artifacts .gitignore lists too.
  zip: { excludeSources: ['test-results/**', 'playwright-report/**', 'web-ext-artifacts/**', 'stats.html', '**/*.log'] },
  hooks: {
    // The schema of the administrator's policy, from the same object the code reads it by (Chromium builds only).
    'build:publicAssets': (wxt, files) => {
      if (wxt.config.browser === 'firefox') return;
      files.push({ relativeDest: MANAGED_SCHEMA_FILE, contents: `${JSON.stringify(MANAGED_SCHEMA, null, 2)}\n` });
    },
    // Demo builds put chips on the demo portal's loopback pages too.
    'build:manifestGenerated': (wxt, manifest) => {
      if (wxt.config.mode !== 'demo') return;
      for (const script of manifest.content_scripts ?? []) {
        script.matches = [...(script.matches ?? []), ...LOOPBACK_MATCHES];
      }
    },
  },
});
