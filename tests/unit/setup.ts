// Every unit test gets a fresh fake IndexedDB and a fresh fake browser.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { resetSlotsCache } from '../../lib/background/portals';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  fakeBrowser.reset();
  resetSlotsCache();
  // WXT's fake browser has no chrome.idle: the person is at the computer, as headless Chromium reports.
  vi.spyOn(fakeBrowser.idle, 'setDetectionInterval').mockImplementation(() => {});
  vi.spyOn(fakeBrowser.idle, 'queryState').mockImplementation(async () => 'active');
  vi.spyOn(fakeBrowser.idle.onStateChanged, 'addListener').mockImplementation(() => {});
});
