// The locale files speak Bitrix24's own words: every key docs/glossary.md names
// holds that concept's term in every language the glossary gives one for.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const messages = (lang: string) =>
  JSON.parse(readFileSync(new URL(`public/_locales/${lang}/messages.json`, root), 'utf8')) as Record<
    string,
    { message: string }
  >;

/** Case and apostrophe style do not matter: "Aujourd'hui" is "aujourd’hui". */
const normal = (text: string) => text.replaceAll("'", '’').toLocaleLowerCase();

interface Row {
  concept: string;
  keys: string[];
  /** Accepted forms per language; a language without a term is absent. */
  terms: Map<string, string[]>;
}

function glossary(): Row[] {
  const lines = readFileSync(new URL('docs/glossary.md', root), 'utf8').split('\n');
  const table = lines.filter((l) => l.startsWith('|'));
  const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());
  const header = cells(table[0]);
  const langs = header.slice(2, header.indexOf('source'));
  return table.slice(2).map((line) => {
    const c = cells(line);
    const terms = new Map<string, string[]>();
    langs.forEach((lang, i) => {
      const cell = c[2 + i];
      if (cell) terms.set(lang, cell.split(' / ').map((t) => t.trim()));
    });
    return { concept: c[0], keys: [...c[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]), terms };
  });
}

const rows = glossary();

describe('glossary', () => {
  it('covers the counters and the six languages', () => {
    const concepts = rows.map((r) => r.concept);
    for (const c of ['Incoming counter', 'Planned counter', 'Overdue (Activities view)', 'Today (Activities view)']) {
      expect(concepts).toContain(c);
    }
    expect([...rows[0].terms.keys()].sort()).toEqual(['de', 'en', 'es', 'fr', 'pt_BR', 'ru']);
  });

  describe.each(rows.map((r) => [r.concept, r] as const))('%s', (_, row) => {
    it.each([...row.terms.entries()])('%s uses the term', (lang, forms) => {
      const file = messages(lang);
      for (const key of row.keys) {
        const text = normal(file[key]?.message ?? `(no key ${key})`);
        expect([key, text]).toEqual([key, expect.stringMatching(new RegExp(forms.map(asPattern).join('|')))]);
      }
    });
  });
});

function asPattern(form: string): string {
  return normal(form).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
