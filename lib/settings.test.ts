import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  DEFAULT_SETTINGS,
  inForce,
  loadSettings,
  loadSettingsWithPolicy,
  loadUserSettings,
  normalizeSettings,
  onSettingsChanged,
  type Settings,
  saveSettings,
  saveSettingsWithPolicy,
} from './settings';

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
  });
});
