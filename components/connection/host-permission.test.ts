import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { requestHostPermission } from './host-permission';

describe('requestHostPermission', () => {
  let asked: string[][] = [];
  beforeEach(() => {
    fakeBrowser.reset();
    asked = [];
    vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation(async (p) => {
      asked.push(p.origins ?? []);
      return true;
    });
  });

  it('Chrome: a cloud portal is covered by the manifest, nothing is asked', async () => {
    expect(await requestHostPermission('https://acme.bitrix24.com', { firefox: false, demo: false })).toBe(true);
    expect(asked).toEqual([]);
  });

  it('Chrome: a self-hosted portal is asked for, by host', async () => {
    expect(await requestHostPermission('https://crm.example.org:8443', { firefox: false, demo: false })).toBe(true);
    expect(asked).toEqual([['https://crm.example.org/*']]);
  });

  it('Firefox: even a cloud portal is asked for at Connect (users may have taken it back)', async () => {
    await requestHostPermission('https://acme.bitrix24.de', { firefox: true, demo: false });
    expect(asked).toEqual([['https://acme.bitrix24.de/*']]);
  });

  it('a refusal or a failure of the request reads as not granted', async () => {
    vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation(async () => {
      throw new Error('not in a user gesture');
    });
    expect(await requestHostPermission('https://crm.example.org', { firefox: true, demo: false })).toBe(false);
  });
});
