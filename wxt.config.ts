import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { buildManifest } from './lib/manifest';

// The demo flavour is `--mode demo`: WXT writes it to `.output/<browser>-mv3-demo/`.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  vite: () => ({
    plugins: [preact()],
  }),
  manifest: ({ browser, mode }) => buildManifest({ browser, demo: mode === 'demo' }),
});
