// Every user-visible string comes from _locales through here.
import { browser } from 'wxt/browser';

export function t(key: string, substitutions?: string[]): string {
  return browser.i18n.getMessage(key as never, substitutions) || key;
}

/** A short local time, with the date when it is not today. */
export function formatTime(epochMs: number, now = Date.now()): string {
  const date = new Date(epochMs);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const locale = browser.i18n.getUILanguage?.() || undefined;
  return sameDay
    ? date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}
