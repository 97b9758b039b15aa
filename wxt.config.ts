import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { buildManifest } from './lib/manifest';
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
    // Demo builds put chips on the demo portal's loopback pages too.
    'build:manifestGenerated': (wxt, manifest) => {
      if (wxt.config.mode !== 'demo') return;
      for (const script of manifest.content_scripts ?? []) {
        script.matches = [...(script.matches ?? []), ...LOOPBACK_MATCHES];
      }
    },
  },
});
