// A demo build is the store build plus, and only plus, what docs/contract.md allows.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildManifest, DEMO_EXTENSION_ID, DEMO_MANIFEST_KEY, MANAGED_SCHEMA_FILE } from '../../lib/manifest';
import { CLOUD_MATCHES, LOOPBACK_MATCHES } from '../../lib/portal-hosts';

describe.each(['chrome', 'firefox'])('%s manifest', (browser) => {
  const store = buildManifest({ browser, demo: false });
  const demo = buildManifest({ browser, demo: true });

  it('asks only for what the product needs', () => {
    expect(store.permissions).toEqual(['storage', 'alarms', 'scripting', 'idle']);
    expect(store.optional_permissions).toEqual(['notifications']);
    expect(store.host_permissions).toEqual(CLOUD_MATCHES);
    expect(store.optional_host_permissions).toEqual(['https://*/*']);
  });

  it('demo adds loopback hosts and grants run-time permissions up front, nothing else', () => {
    expect(demo.host_permissions).toEqual([...CLOUD_MATCHES, ...LOOPBACK_MATCHES]);
    expect(demo.permissions).toEqual(['storage', 'alarms', 'scripting', 'idle', 'notifications']);
    const { permissions: _p, optional_permissions: _o, host_permissions: _h, ...storeRest } = store;
    const { permissions: _dp, host_permissions: _dh, key: _key, ...demoRest } = demo as typeof demo & { key?: string };
    expect(demoRest).toEqual(storeRest);
  });

  it('covers the cloud zones of docs/bitrix24-rest.md', () => {
    for (const zone of ['com', 'eu', 'de', 'fr', 'es', 'it', 'pl', 'com.br', 'in', 'uk', 'ru', 'by', 'kz', 'ua']) {
      expect(store.host_permissions).toContain(`https://*.bitrix24.${zone}/*`);
    }
  });
});

it('firefox has a gecko id and declares its data collection', () => {
  const manifest = buildManifest({ browser: 'firefox', demo: false });
  expect(manifest.browser_specific_settings?.gecko.id).toMatch(/@/);
  expect(manifest.browser_specific_settings?.gecko.data_collection_permissions).toEqual({ required: ['none'] });
  // The first versions that understand data_collection_permissions (addons-linter warns below them).
  expect(manifest.browser_specific_settings?.gecko.strict_min_version).toBe('140.0');
  expect(manifest.browser_specific_settings?.gecko_android.strict_min_version).toBe('142.0');
});

it('chrome reads the administrator’s policy against the schema; Firefox has no such key', () => {
  for (const demo of [false, true]) {
    expect(buildManifest({ browser: 'chrome', demo })).toHaveProperty('storage', { managed_schema: MANAGED_SCHEMA_FILE });
    expect(buildManifest({ browser: 'firefox', demo })).not.toHaveProperty('storage');
  }
});

it('chrome has no Firefox-only keys', () => {
  expect(buildManifest({ browser: 'chrome', demo: false })).not.toHaveProperty('browser_specific_settings');
});

it('the Chromium demo build has a fixed ID (a manifest key) so that policies can name it; store builds have none', () => {
  expect(buildManifest({ browser: 'chrome', demo: true })).toHaveProperty('key', DEMO_MANIFEST_KEY);
  expect(buildManifest({ browser: 'chrome', demo: false })).not.toHaveProperty('key');
  expect(buildManifest({ browser: 'firefox', demo: true })).not.toHaveProperty('key');
  // Chromium's ID: the first 128 bits of the key's SHA-256, hex digits 0-f written as a-p.
  const hash = createHash('sha256').update(Buffer.from(DEMO_MANIFEST_KEY, 'base64')).digest('hex').slice(0, 32);
  expect([...hash].map((h) => String.fromCharCode(97 + Number.parseInt(h, 16))).join('')).toBe(DEMO_EXTENSION_ID);
});
