import { describe, expect, it } from 'vitest';
import { isCloudHost, isCoveredByManifest, originPattern } from '../../lib/portal-hosts';

describe('portal hosts', () => {
  it.each([
    ['acme.bitrix24.com', true],
    ['acme.bitrix24.com.br', true],
    ['ACME.Bitrix24.DE', true],
    ['bitrix24.com', false],
    ['acme.bitrix24.com.evil.example', false],
    ['crm.example.org', false],
  ])('%s is a cloud host: %s', (host, cloud) => {
    expect(isCloudHost(host)).toBe(cloud);
  });

  it.each([
    ['https://acme.bitrix24.eu', false, true],
    ['http://acme.bitrix24.eu', false, false],
    ['https://crm.example.org', false, false],
    ['https://crm.example.org', true, false],
    ['http://127.0.0.1:8024', false, false],
    ['http://127.0.0.1:8024', true, true],
    ['http://localhost:9000', true, true],
  ])('%s covered (demo %s): %s', (origin, demo, covered) => {
    expect(isCoveredByManifest(origin, demo)).toBe(covered);
  });

  it('builds the pattern of one origin', () => {
    expect(originPattern('https://crm.example.org:8443')).toBe('https://crm.example.org/*');
  });
});
