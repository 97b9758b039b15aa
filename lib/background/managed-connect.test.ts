import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getDb, saveConnection } from '../store/db';
import { connectLogin } from './connection';
import { autoConnect } from './managed-connect';

vi.mock('./connection', () => ({
  connectLogin: vi.fn(async () => ({ ok: false, problem: 'signedOut', origin: 'https://acme.bitrix24.com' })),
}));

const ACME = 'https://acme.bitrix24.com';
const record = (mode: 'login' | 'webhook', origin = ACME) => ({
  mode,
  webhookUrl: mode === 'webhook' ? `${origin}/rest/1/abc123def456/` : '',
  origin,
  userId: 1,
  userName: 'Anna Schmidt',
  timeZone: null,
  scopes: [],
  connectedAt: 0,
});

describe('auto-connect by policy', () => {
  let granted = true;
  beforeEach(() => {
    granted = true;
    vi.mocked(connectLogin).mockClear();
    vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation(async () => granted);
  });

  it('no policy: nothing', async () => {
    expect(await autoConnect()).toBeNull();
    expect(connectLogin).not.toHaveBeenCalled();
  });

  it('a managed portal, not connected: tries the login there (a failure is only reported)', async () => {
    await fakeBrowser.storage.managed.set({ portalAddress: 'acme.bitrix24.com' });
    expect(await autoConnect()).toMatchObject({ ok: false, problem: 'signedOut' });
    expect(connectLogin).toHaveBeenCalledWith(ACME);
  });

  it('the webhook mode: each user brings a webhook, no try', async () => {
    await fakeBrowser.storage.managed.set({ portalAddress: ACME, connectionMode: 'webhook' });
    expect(await autoConnect()).toBeNull();
    expect(connectLogin).not.toHaveBeenCalled();
  });

  it('connected as the policy allows: left alone', async () => {
    await fakeBrowser.storage.managed.set({ portalAddress: ACME });
    await saveConnection(await getDb(), record('webhook'));
    expect(await autoConnect()).toBeNull();
    await fakeBrowser.storage.managed.set({ connectionMode: 'login' });
    await saveConnection(await getDb(), record('login'));
    expect(await autoConnect()).toBeNull();
    expect(connectLogin).not.toHaveBeenCalled();
  });

  it('connected to another portal, or the other way: tries the policy’s (a failure keeps that connection)', async () => {
    await fakeBrowser.storage.managed.set({ portalAddress: ACME, connectionMode: 'login' });
    await saveConnection(await getDb(), record('webhook'));
    await autoConnect();
    await saveConnection(await getDb(), record('login', 'https://other.bitrix24.com'));
    await autoConnect();
    expect(connectLogin).toHaveBeenCalledTimes(2);
  });

  it('a self-hosted portal without its host permission waits for the click on the options page', async () => {
    granted = false;
    await fakeBrowser.storage.managed.set({ portalAddress: 'crm.example.com' });
    expect(await autoConnect()).toBeNull();
    expect(connectLogin).not.toHaveBeenCalled();
  });
});
