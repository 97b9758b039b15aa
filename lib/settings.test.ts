import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings, normalizeSettings, saveSettings } from './settings';

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
    expect(await loadSettings()).toEqual(normalizeSettings(undefined));
    await saveSettings({ reconcileMinutes: 1 });
    expect((await loadSettings()).reconcileMinutes).toBe(5);
  });
});
