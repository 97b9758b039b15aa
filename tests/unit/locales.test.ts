// Every locale has every key of the English one, with the same placeholders.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../public/_locales/', import.meta.url);
const load = (lang: string) =>
  JSON.parse(readFileSync(new URL(`${lang}/messages.json`, dir), 'utf8')) as Record<string, { message: string }>;
const english = load('en');
const placeholders = (text: string) => [...new Set(text.match(/\$\d/g) ?? [])].sort();

describe.each(readdirSync(dir).filter((lang) => lang !== 'en'))('locale %s', (lang) => {
  const messages = load(lang);
  it('has every English key', () => {
    expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
  });
  it('has a description the stores accept (at most 132 characters)', () => {
    expect(messages.extDescription.message.length).toBeLessThanOrEqual(132);
  });
  it('keeps the placeholders', () => {
    for (const [key, { message }] of Object.entries(english)) {
      expect([key, placeholders(messages[key].message)]).toEqual([key, placeholders(message)]);
    }
  });
});
