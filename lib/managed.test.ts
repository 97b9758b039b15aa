import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { connect, connectLogin } from './background/connection';
import {
  autoConnectOrigin,
  forgetManagedRead,
  isLocked,
  loadManaged,
  MANAGED_LAST_KEY,
  MANAGED_SCHEMA,
  type ManagedSettings,
  onManagedChanged,
  parseManaged,
  policyRefusal,
  withManaged,
} from './managed';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './settings';

const normalize = (raw: unknown) => normalizeSettings(raw, 30);

describe('managed schema', () => {
  it('is the subset of JSON Schema Chromium reads: an object of typed properties', () => {
    expect(MANAGED_SCHEMA.type).toBe('object');
    const allowed = new Set(['type', 'title', 'description', 'enum', 'items', 'properties']);
    for (const [name, property] of Object.entries(MANAGED_SCHEMA.properties)) {
      expect([name, Object.keys(property).filter((key) => !allowed.has(key))]).toEqual([name, []]);
      expect(['string', 'integer', 'boolean', 'array']).toContain(property.type);
    }
  });

  it('has no webhook URL, nor any other secret', () => {
    expect(JSON.stringify(MANAGED_SCHEMA)).not.toMatch(/webhookUrl|secret|password|token/i);
  });

  it('names exactly what the code reads: a value of every property survives parsing', () => {
    const sample: Record<string, unknown> = {
      portalAddress: 'your-company.bitrix24.com',
      connectionMode: 'login',
      minPollSeconds: 300,
      notifications: true,
      litRule: 'lightTime',
      lightOffsetMinutes: 30,
      counterMode: 'activity',
      countedEntityTypes: [2, 1],
    };
    expect(Object.keys(sample).sort()).toEqual(Object.keys(MANAGED_SCHEMA.properties).sort());
    expect(Object.keys(parseManaged(sample)).sort()).toEqual(Object.keys(sample).sort());
  });

  it('enums are the values the code accepts', () => {
    const { connectionMode, litRule, counterMode } = MANAGED_SCHEMA.properties;
    for (const mode of connectionMode.enum) expect(parseManaged({ connectionMode: mode }).connectionMode).toBe(mode);
    for (const rule of litRule.enum) expect(parseManaged({ litRule: rule }).litRule).toBe(rule);
    for (const mode of counterMode.enum) expect(parseManaged({ counterMode: mode }).counterMode).toBe(mode);
  });
});

describe('parseManaged (Firefox validates nothing before us)', () => {
  it.each<[string, unknown, ManagedSettings]>([
    ['no policy', undefined, {}],
    ['an empty policy', {}, {}],
    ['a portal address as people write it', { portalAddress: ' https://Acme.bitrix24.com/crm/deal/list/ ' }, { portalAddress: 'https://acme.bitrix24.com' }],
    ['a portal address that is not one', { portalAddress: 'http://acme.bitrix24.com' }, {}],
    ['a webhook URL as the address: its origin only', { portalAddress: 'https://acme.bitrix24.com/rest/1/abc123/' }, { portalAddress: 'https://acme.bitrix24.com' }],
    ['an unknown mode', { connectionMode: 'oauth' }, {}],
    ['a poll that is not a whole number', { minPollSeconds: '300' }, {}],
    ['a negative poll', { minPollSeconds: -5 }, {}],
    ['notifications as text', { notifications: 'true' }, {}],
    ['counted types with junk', { countedEntityTypes: [2, 'x', 0, 2, 128] }, { countedEntityTypes: [2, 128] }],
    ['no counted type left', { countedEntityTypes: ['x'] }, {}],
    ['a webhook URL key is not read', { webhookUrl: 'https://acme.bitrix24.com/rest/1/abc123/' }, {}],
  ])('%s', (_name, raw, expected) => {
    expect(parseManaged(raw)).toEqual(expected);
  });
});

describe('withManaged: the policy outranks the user, where it speaks', () => {
  const user: Settings = {
    ...DEFAULT_SETTINGS,
    pollSeconds: 120,
    litRule: 'day',
    counterMode: 'item',
    notifications: true,
    countedEntityTypes: [2],
    quietFrom: '20:00',
    quietTo: '08:00',
  };

  it('a silent policy leaves the user’s settings', () => {
    expect(withManaged(user, {}, normalize)).toEqual(user);
  });

  it.each<[string, ManagedSettings, Partial<Settings>]>([
    ['a minimum above the user’s interval raises it', { minPollSeconds: 300 }, { pollSeconds: 300 }],
    ['a minimum below it leaves it', { minPollSeconds: 60 }, { pollSeconds: 120 }],
    ['a minimum above 30 minutes stops at 30 minutes', { minPollSeconds: 7200 }, { pollSeconds: 1800 }],
    ['notifications off', { notifications: false }, { notifications: false }],
    ['the counting rule and its offset', { litRule: 'lightTime', lightOffsetMinutes: 30 }, { litRule: 'lightTime', lightOffsetMinutes: 30 }],
    ['the counter mode', { counterMode: 'activity' }, { counterMode: 'activity' }],
    ['the counted types', { countedEntityTypes: [1, 2, 3, 4, 128] }, { countedEntityTypes: [1, 2, 3, 4, 128] }],
    ['the portal and the mode are not settings', { portalAddress: 'https://acme.bitrix24.com', connectionMode: 'login' }, {}],
  ])('%s', (_name, managed, changed) => {
    expect(withManaged(user, managed, normalize)).toEqual({ ...user, ...changed });
  });

  it('a minimum below the build’s shortest poll is the build’s', () => {
    expect(withManaged({ ...user, pollSeconds: 30 }, { minPollSeconds: 5 }, normalize).pollSeconds).toBe(30);
  });

  it('locks what the policy sets, and only that', () => {
    const managed: ManagedSettings = { litRule: 'day', notifications: false };
    expect(isLocked(managed, 'litRule')).toBe(true);
    expect(isLocked(managed, 'notifications')).toBe(true);
    expect(isLocked(managed, 'counterMode')).toBe(false);
    expect(isLocked(managed, 'countedEntityTypes')).toBe(false);
  });
});

describe('the policy and the connection', () => {
  const acme = 'https://acme.bitrix24.com';

  it.each<[string, ManagedSettings, 'login' | 'webhook', string, ReturnType<typeof policyRefusal>]>([
    ['no policy', {}, 'webhook', acme, null],
    ['the managed portal, either way', { portalAddress: acme }, 'webhook', acme, null],
    ['another portal', { portalAddress: acme }, 'login', 'https://other.bitrix24.com', { problem: 'policyPortal', origin: acme }],
    ['the other way in', { connectionMode: 'login' }, 'webhook', acme, { problem: 'policyMode' }],
    ['the way in the policy names', { connectionMode: 'webhook', portalAddress: acme }, 'webhook', acme, null],
  ])('%s', (_name, managed, mode, origin, expected) => {
    expect(policyRefusal(managed, mode, origin)).toEqual(expected);
  });

  it.each<[string, ManagedSettings, string | null]>([
    ['a managed portal connects by itself', { portalAddress: acme }, acme],
    ['in the login mode too', { portalAddress: acme, connectionMode: 'login' }, acme],
    ['not in the webhook mode (each user brings a webhook)', { portalAddress: acme, connectionMode: 'webhook' }, null],
    ['not without a portal', { connectionMode: 'login' }, null],
  ])('auto-connect: %s', (_name, managed, expected) => {
    expect(autoConnectOrigin(managed)).toBe(expected);
  });

  it('the background refuses what the policy does not allow, before asking any portal', async () => {
    await fakeBrowser.storage.managed.set({ portalAddress: acme, connectionMode: 'login' });
    expect(await connect('https://acme.bitrix24.com/rest/1/abc123def456/')).toEqual({ ok: false, problem: 'policyMode' });
    expect(await connectLogin('other.bitrix24.com')).toEqual({ ok: false, problem: 'policyPortal', origin: acme });
  });
});

describe('loadManaged', () => {
  it('reads storage.managed', async () => {
    await fakeBrowser.storage.managed.set({ minPollSeconds: 600, litRule: 'lightTime', webhookUrl: 'x' });
    expect(await loadManaged()).toEqual({ minPollSeconds: 600, litRule: 'lightTime' });
  });

  it('no policy at all (Firefox rejects the read): nothing managed', async () => {
    const original = fakeBrowser.storage.managed.get;
    fakeBrowser.storage.managed.get = () => Promise.reject(new Error('Managed storage manifest not found'));
    try {
      expect(await loadManaged()).toEqual({});
    } finally {
      fakeBrowser.storage.managed.get = original;
    }
  });
});

describe('loadManaged when the browser does not answer (Edge issue #299, fresh Chromium profiles)', () => {
  const hang = () => {
    const original = fakeBrowser.storage.managed.get;
    let answer: (value: Record<string, unknown>) => void = () => {};
    fakeBrowser.storage.managed.get = () => new Promise((resolve) => (answer = resolve)) as never;
    return {
      answer: (value: Record<string, unknown>) => answer(value),
      restore: () => {
        fakeBrowser.storage.managed.get = original;
        forgetManagedRead();
      },
    };
  };

  it('keeps the policy it reads, and only once there was one', async () => {
    expect(await loadManaged()).toEqual({});
    expect(await fakeBrowser.storage.local.get(MANAGED_LAST_KEY)).toEqual({});
    await fakeBrowser.storage.managed.set({ minPollSeconds: 600 });
    await loadManaged();
    expect(await fakeBrowser.storage.local.get(MANAGED_LAST_KEY)).toEqual({ [MANAGED_LAST_KEY]: { minPollSeconds: 600 } });
  });

  it('after the wait, the last policy seen; the next reads do not wait again; a late answer that differs is kept and announced', async () => {
    await fakeBrowser.storage.local.set({ [MANAGED_LAST_KEY]: { minPollSeconds: 600, litRule: 'lightTime' } });
    const browserRead = hang();
    const changed = vi.fn();
    const stop = onManagedChanged(changed);
    try {
      const t0 = Date.now();
      expect(await loadManaged(50)).toEqual({ minPollSeconds: 600, litRule: 'lightTime' });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
      const t1 = Date.now();
      expect(await loadManaged(5000)).toEqual({ minPollSeconds: 600, litRule: 'lightTime' });
      expect(Date.now() - t1).toBeLessThan(1000);

      browserRead.answer({ minPollSeconds: 900 });
      await vi.waitFor(() => expect(changed).toHaveBeenCalled());
      expect(await fakeBrowser.storage.local.get(MANAGED_LAST_KEY)).toEqual({ [MANAGED_LAST_KEY]: { minPollSeconds: 900 } });
    } finally {
      stop();
      browserRead.restore();
    }
  });

  it('with no policy ever seen, nothing is managed while the browser is silent', async () => {
    const browserRead = hang();
    try {
      expect(await loadManaged(20)).toEqual({});
    } finally {
      browserRead.restore();
    }
  });

  it('a late answer the same as the one kept is not written again (nothing to announce)', async () => {
    await fakeBrowser.storage.local.set({ [MANAGED_LAST_KEY]: { minPollSeconds: 600 } });
    const browserRead = hang();
    const changed = vi.fn();
    const stop = onManagedChanged(changed);
    try {
      expect(await loadManaged(20)).toEqual({ minPollSeconds: 600 });
      browserRead.answer({ minPollSeconds: 600 });
      await new Promise((r) => setTimeout(r, 50));
      expect(changed).not.toHaveBeenCalled();
    } finally {
      stop();
      browserRead.restore();
    }
  });
});
