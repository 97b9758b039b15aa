import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DB_NAME } from './store/db-name';
import { type PortalSlot, writeRegistry } from './store/portals';
import {
  DEFAULT_SETTINGS,
  forgetSlotValues,
  inForce,
  loadSettings,
  loadSettingsWithPolicy,
  loadUserSettings,
  normalizePortalPatch,
  normalizeSettings,
  onSettingsChanged,
  PORTAL_SETTINGS_KEY,
  type Settings,
  saveSettings,
  saveSettingsWithPolicy,
} from './settings';
import { MANAGED_LAST_KEY } from './managed';

describe('settings', () => {
  it.each([
    ['nothing stored', undefined, DEFAULT_SETTINGS],
    ['a poll below the minimum', { pollSeconds: 1 }, { ...DEFAULT_SETTINGS, pollSeconds: 30 }],
    ['a poll above 30 minutes', { pollSeconds: 99_999 }, { ...DEFAULT_SETTINGS, pollSeconds: 1800 }],
    ['counted types with junk', { countedEntityTypes: [2, 'x', -1, 128] }, { ...DEFAULT_SETTINGS, countedEntityTypes: [2, 128] }],
    ['an empty counted list (= default)', { countedEntityTypes: [] }, DEFAULT_SETTINGS],
  ])('%s', (_name, raw, expected) => {
    expect(normalizeSettings(raw, 30)).toEqual(expected);
  });

  it('demo builds allow a 5 s poll', () => {
    expect(normalizeSettings({ pollSeconds: 5 }, 5).pollSeconds).toBe(5);
  });

  it('saves a patch in storage.local and reads it back, clamped', async () => {
    expect(await loadSettings()).toEqual(inForce(normalizeSettings(undefined), null));
    await saveSettings({ reconcileMinutes: 1 });
    expect((await loadSettings()).reconcileMinutes).toBe(5);
  });

  it('two saves at once both land: each reads the record the other wrote (two quick clicks, or a click and a portal check)', async () => {
    await Promise.all([saveSettings({ pollSeconds: 120 }), saveSettings({ weekStart: 0 }), saveSettings({ chips: { lists: false, itemPages: true, elsewhere: true } })]);
    expect(await loadUserSettings()).toMatchObject({ pollSeconds: 120, weekStart: 0, chips: { lists: false, itemPages: true, elsewhere: true } });
  });

  describe('"As your portal counts" (issue #19)', () => {
    it.each<[string, unknown, Pick<Settings, 'litRule' | 'counterMode'>]>([
      ['nothing stored: the default', undefined, { litRule: 'portal', counterMode: 'portal' }],
      ['version 1 with its defaults (day, item): migrated', { version: 1, litRule: 'day', counterMode: 'item' }, { litRule: 'portal', counterMode: 'portal' }],
      ['version 1 with other choices: kept', { version: 1, litRule: 'lightTime', counterMode: 'activity' }, { litRule: 'lightTime', counterMode: 'activity' }],
      ['version 1, one default, one choice', { version: 1, litRule: 'day', counterMode: 'activity' }, { litRule: 'portal', counterMode: 'activity' }],
      ['version 2: day and item are choices', { version: 2, litRule: 'day', counterMode: 'item' }, { litRule: 'day', counterMode: 'item' }],
      ['junk: the default', { version: 2, litRule: 'always', counterMode: 3 }, { litRule: 'portal', counterMode: 'portal' }],
    ])('%s', (_name, raw, expected) => {
      expect(normalizeSettings(raw)).toMatchObject({ version: 2, ...expected });
    });

    it('migrates stored settings once, on reading and at the next save', async () => {
      await fakeBrowser.storage.local.set({ settings: { version: 1, litRule: 'day', counterMode: 'item', pollSeconds: 120 } });
      expect(await loadUserSettings()).toMatchObject({ litRule: 'portal', counterMode: 'portal', pollSeconds: 120 });
      await saveSettings({ litRule: 'day' });
      expect((await fakeBrowser.storage.local.get('settings')).settings).toMatchObject({ version: 2, litRule: 'day', counterMode: 'portal' });
    });

    it('resolves to the portal\'s way where it said, else the seed\'s; a choice of the user or the policy stands', async () => {
      expect(await loadSettings()).toMatchObject({ litRule: 'day', counterMode: 'item' });
      await fakeBrowser.storage.local.set({ portalWay: { way: { litRule: 'lightTime', mode: 'activity' } } });
      expect(await loadSettings()).toMatchObject({ litRule: 'lightTime', counterMode: 'activity' });
      await saveSettings({ counterMode: 'item' });
      expect(await loadSettings()).toMatchObject({ litRule: 'lightTime', counterMode: 'item' });
      await fakeBrowser.storage.managed.set({ litRule: 'day' });
      expect(await loadSettings()).toMatchObject({ litRule: 'day', counterMode: 'item' });
      expect((await loadSettingsWithPolicy()).portal).toEqual({ litRule: 'lightTime', mode: 'activity' });
    });

    it('the options page\'s save gives back the choices, "As your portal counts" kept (not resolved), under the policy', async () => {
      await fakeBrowser.storage.local.set({ portalWay: { way: { litRule: 'lightTime', mode: 'activity' } } });
      await saveSettings({ litRule: 'day', counterMode: 'item' });
      await fakeBrowser.storage.managed.set({ minPollSeconds: 300 });
      const after = await saveSettingsWithPolicy({ litRule: 'portal' });
      expect(after.settings).toMatchObject({ litRule: 'portal', counterMode: 'item', pollSeconds: 300 });
      expect(after.portal).toEqual({ litRule: 'lightTime', mode: 'activity' });
      expect(after.managed).toEqual({ minPollSeconds: 300 });
      expect(await loadUserSettings()).toMatchObject({ litRule: 'portal', counterMode: 'item', pollSeconds: 60 });
      // What is in force resolves the choice: the options page must not show this one.
      expect(await loadSettings()).toMatchObject({ litRule: 'lightTime', counterMode: 'item' });
    });

    it('listeners hear when the portal\'s way changes', async () => {
      const heard: Settings[] = [];
      const stop = onSettingsChanged((settings) => heard.push(settings));
      await fakeBrowser.storage.local.set({ portalWay: { way: { litRule: 'lightTime', mode: 'item' } } });
      await expect.poll(() => heard.at(-1)?.litRule).toBe('lightTime');
      stop();
    });
  });

  describe('under an administrator’s policy (storage.managed)', () => {
    it('what the policy sets is in force; the user’s own choice is kept underneath', async () => {
      await saveSettings({ pollSeconds: 60, litRule: 'day', counterMode: 'item', quietFrom: '20:00' });
      await fakeBrowser.storage.managed.set({ minPollSeconds: 300, litRule: 'lightTime' });
      const inForce = await loadSettings();
      expect(inForce).toMatchObject({ pollSeconds: 300, litRule: 'lightTime', counterMode: 'item', quietFrom: '20:00' });
      expect(await loadUserSettings()).toMatchObject({ pollSeconds: 60, litRule: 'day' });
      expect((await loadSettingsWithPolicy()).managed).toEqual({ minPollSeconds: 300, litRule: 'lightTime' });
    });

    it('saving a setting the policy is silent on stores no policy value as the user’s', async () => {
      await fakeBrowser.storage.managed.set({ litRule: 'lightTime', notifications: false });
      const saved = await saveSettings({ counterMode: 'activity' });
      expect(saved).toMatchObject({ counterMode: 'activity', litRule: 'lightTime', notifications: false });
      const stored = (await fakeBrowser.storage.local.get('settings')).settings as Settings;
      expect(stored).toMatchObject({ counterMode: 'activity', litRule: 'portal' });
    });

    it('a longer interval than the minimum is the user’s to choose', async () => {
      await fakeBrowser.storage.managed.set({ minPollSeconds: 300 });
      expect((await saveSettings({ pollSeconds: 600 })).pollSeconds).toBe(600);
    });

    it('a policy that goes away gives the user’s settings back', async () => {
      await saveSettings({ litRule: 'day' });
      await fakeBrowser.storage.managed.set({ litRule: 'lightTime' });
      expect((await loadSettings()).litRule).toBe('lightTime');
      await fakeBrowser.storage.managed.clear();
      expect((await loadSettings()).litRule).toBe('day');
    });

    it('listeners hear of policy changes, with the settings in force', async () => {
      const heard: Settings[] = [];
      const stop = onSettingsChanged((settings) => heard.push(settings));
      await fakeBrowser.storage.managed.set({ counterMode: 'activity' });
      await expect.poll(() => heard.at(-1)?.counterMode).toBe('activity');
      await saveSettings({ pollSeconds: 120 });
      await expect.poll(() => heard.at(-1)?.pollSeconds).toBe(120);
      expect(heard.at(-1)?.counterMode).toBe('activity');
      stop();
    });

    it('listeners hear when a late answer of the browser changed the policy kept in storage.local', async () => {
      const heard: Settings[] = [];
      const stop = onSettingsChanged((settings) => heard.push(settings));
      await fakeBrowser.storage.local.set({ [MANAGED_LAST_KEY]: { litRule: 'lightTime' } });
      await expect.poll(() => heard.length).toBeGreaterThan(0);
      // The browser answers at once here, with no policy: its answer replaces the one kept.
      await expect.poll(async () => (await fakeBrowser.storage.local.get(MANAGED_LAST_KEY))[MANAGED_LAST_KEY]).toEqual({});
      stop();
    });
  });

  describe('per portal (issue #17)', () => {
    const first: PortalSlot = { origin: 'https://a.bitrix24.com', dbName: DB_NAME };
    const second: PortalSlot = { origin: 'https://b.bitrix24.com', dbName: `${DB_NAME}@https://b.bitrix24.com` };
    const secondKey = `${PORTAL_SETTINGS_KEY} https://b.bitrix24.com`;
    const stored = async () => fakeBrowser.storage.local.get(null);

    it('one portal: its settings are the global record, stored and read exactly as before', async () => {
      await writeRegistry([first]);
      const before = { version: 1, litRule: 'day', counterMode: 'item', pollSeconds: 120, countedEntityTypes: [2] };
      await fakeBrowser.storage.local.set({ settings: before });
      // No migration: the old record reads as it did, for the slot and without one.
      expect(await loadUserSettings(first)).toEqual(normalizeSettings(before));
      expect(await loadSettings(first)).toEqual(await loadSettings());
      await saveSettings({ countedEntityTypes: [1, 2], timeZone: 'Europe/Berlin', weekStart: 0 }, first);
      expect(Object.keys(await stored()).sort()).toEqual(['portals', 'settings']);
      expect((await stored()).settings).toEqual(normalizeSettings({ ...before, countedEntityTypes: [1, 2], timeZone: 'Europe/Berlin', weekStart: 0 }));
    });

    it('another portal: its own fields in a patch of its own, merged over the global record; the rest stays global', async () => {
      // Chosen while the first portal was the only one: a portal connected later starts from these.
      await writeRegistry([first]);
      await saveSettings({ pollSeconds: 120, litRule: 'lightTime' });
      await writeRegistry([first, second]);
      const after = await saveSettings({ countedEntityTypes: [2], timeZone: 'Europe/Berlin', counterMode: 'activity', pollSeconds: 300 }, second);
      expect((await stored())[secondKey]).toEqual({ countedEntityTypes: [2], timeZone: 'Europe/Berlin', counterMode: 'activity' });
      expect(after).toMatchObject({ countedEntityTypes: [2], timeZone: 'Europe/Berlin', counterMode: 'activity', litRule: 'lightTime', pollSeconds: 300 });
      // The first portal keeps its own; the global poll interval is everyone's.
      expect(await loadSettings(first)).toMatchObject({ countedEntityTypes: null, timeZone: null, counterMode: 'item', litRule: 'lightTime', pollSeconds: 300 });
      expect(await loadSettings()).toEqual(await loadSettings(first));
      // The first portal's own edit is its own only.
      await saveSettings({ lightOffsetMinutes: 30 }, first);
      expect((await loadSettings(second)).lightOffsetMinutes).toBe(15);
    });

    it('an edit of the first portal leaves the others as they were', async () => {
      await writeRegistry([first, second]);
      await saveSettings({ countedEntityTypes: [1], litRule: 'day' }, second);
      await saveSettings({ countedEntityTypes: [2, 3], timeZone: 'Asia/Tokyo', counterMode: 'activity', litRule: 'lightTime', notifications: true }, first);
      expect(await loadUserSettings(first)).toMatchObject({ countedEntityTypes: [2, 3], timeZone: 'Asia/Tokyo', counterMode: 'activity', litRule: 'lightTime' });
      // Its own choices stay; the values it followed are kept as they were; the global ones are everyone's.
      expect(await loadUserSettings(second)).toMatchObject({ countedEntityTypes: [1], litRule: 'day', timeZone: null, counterMode: 'portal', notifications: true });
      expect((await stored())[secondKey]).toEqual({ countedEntityTypes: [1], litRule: 'day', timeZone: null, counterMode: 'portal' });
    });

    it('two saves at once for another portal both land in its patch', async () => {
      await writeRegistry([first, second]);
      await Promise.all([saveSettings({ countedEntityTypes: [2] }, second), saveSettings({ timeZone: 'Asia/Tokyo' }, second), saveSettings({ litRule: 'day' }, first)]);
      // The first portal's edit keeps the value the other followed, in its patch.
      expect((await stored())[secondKey]).toEqual({ countedEntityTypes: [2], timeZone: 'Asia/Tokyo', litRule: 'portal' });
      expect(await loadUserSettings(first)).toMatchObject({ litRule: 'day', countedEntityTypes: null, timeZone: null });
    });

    it('"As your portal counts" follows each portal\'s own way', async () => {
      await writeRegistry([first, second]);
      await fakeBrowser.storage.local.set({
        portalWay: { way: { litRule: 'day', mode: 'item' } },
        'portalWay https://b.bitrix24.com': { way: { litRule: 'lightTime', mode: 'activity' } },
      });
      expect(await loadSettings(first)).toMatchObject({ litRule: 'day', counterMode: 'item' });
      expect(await loadSettings(second)).toMatchObject({ litRule: 'lightTime', counterMode: 'activity' });
      await saveSettings({ counterMode: 'item' }, second);
      expect(await loadSettings(second)).toMatchObject({ litRule: 'lightTime', counterMode: 'item' });
      expect(await loadSettings(first)).toMatchObject({ litRule: 'day', counterMode: 'item' });
    });

    it('the policy outranks every portal\'s own choice; each portal\'s own stays underneath', async () => {
      await writeRegistry([first, second]);
      await saveSettings({ litRule: 'day', counterMode: 'item', countedEntityTypes: [1] }, second);
      await fakeBrowser.storage.managed.set({ litRule: 'lightTime', countedEntityTypes: [2, 4] });
      for (const slot of [first, second, null]) {
        expect(await loadSettings(slot)).toMatchObject({ litRule: 'lightTime', countedEntityTypes: [2, 4] });
      }
      expect(await loadSettings(second)).toMatchObject({ counterMode: 'item' });
      const shown = await saveSettingsWithPolicy({ timeZone: 'Europe/Paris' }, second);
      expect(shown.settings).toMatchObject({ litRule: 'lightTime', counterMode: 'item', countedEntityTypes: [2, 4], timeZone: 'Europe/Paris' });
      expect(await loadUserSettings(second)).toMatchObject({ litRule: 'day', countedEntityTypes: [1], timeZone: 'Europe/Paris' });
      await fakeBrowser.storage.managed.clear();
      expect(await loadSettings(second)).toMatchObject({ litRule: 'day', countedEntityTypes: [1] });
    });

    it('listeners hear of a portal\'s own patch', async () => {
      await writeRegistry([first, second]);
      let heard = 0;
      const stop = onSettingsChanged(() => heard++);
      await saveSettings({ timeZone: 'Europe/Berlin' }, second);
      await expect.poll(() => heard).toBe(1);
      stop();
    });

    it('a disconnected portal\'s patch goes with it; the first slot\'s settings (the global record) stay', async () => {
      await writeRegistry([first, second]);
      await saveSettings({ timeZone: 'Europe/Berlin' }, second);
      await saveSettings({ litRule: 'day' }, first);
      await forgetSlotValues(second);
      expect((await stored())[secondKey]).toBeUndefined();
      expect(await loadUserSettings(second)).toEqual(await loadUserSettings(first));
      await forgetSlotValues(first);
      expect((await loadUserSettings()).litRule).toBe('day');
    });

    it.each<[string, unknown, unknown]>([
      ['nothing', undefined, {}],
      ['only the per-portal fields', { countedEntityTypes: [2], pollSeconds: 5, notifications: true, version: 1 }, { countedEntityTypes: [2] }],
      ['clamped as any settings', { lightOffsetMinutes: -5, timeZone: 'Mars/Olympus', litRule: 'day' }, { lightOffsetMinutes: 0, timeZone: null, litRule: 'day' }],
      ['null: the default', { countedEntityTypes: null, timeZone: null }, { countedEntityTypes: null, timeZone: null }],
    ])('a stored patch: %s', (_name, raw, expected) => {
      expect(normalizePortalPatch(raw)).toEqual(expected);
    });

    it('a version 1 global record does not read another portal\'s choice as its default', async () => {
      await writeRegistry([first, second]);
      await fakeBrowser.storage.local.set({ settings: { version: 1, litRule: 'lightTime' }, [secondKey]: { litRule: 'day', counterMode: 'item' } });
      expect(await loadUserSettings(second)).toMatchObject({ litRule: 'day', counterMode: 'item' });
      expect(await loadUserSettings(first)).toMatchObject({ litRule: 'lightTime', counterMode: 'portal' });
    });
  });
});
