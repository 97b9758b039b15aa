// The built demo extension, read as files: what ships where.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { DEMO_SECRET } from '../../demo/config';
import { DEMO_BUILD } from '../../scripts/chromium';

const test = base;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

test('content scripts carry no webhook secret and no way in for pages', () => {
  const manifest = JSON.parse(readFileSync(path.join(DEMO_BUILD, 'manifest.json'), 'utf8'));
  expect(manifest.externally_connectable).toBeUndefined();
  expect(manifest.web_accessible_resources ?? []).toEqual([]);
  const scripts: string[] = manifest.content_scripts.flatMap((c: { js: string[] }) => c.js);
  expect(scripts.length).toBeGreaterThan(0);
  for (const file of scripts) {
    const code = readFileSync(path.join(DEMO_BUILD, file), 'utf8');
    expect(code).not.toContain(DEMO_SECRET);
    expect(code).not.toMatch(/\/rest\/\d+\/[A-Za-z0-9]{8,}\//);
  }
  // Only the options page of the demo build offers the demo portal's webhook (a one-click preset).
  const withSecret = filesUnder(DEMO_BUILD)
    .filter((file) => file.endsWith('.js') && readFileSync(file, 'utf8').includes(DEMO_SECRET))
    .map((file) => path.relative(DEMO_BUILD, file));
  expect(withSecret.every((file) => file.startsWith('chunks/options'))).toBe(true);
  // The login's sessid lives in storage.session at its default access level (trusted contexts only):
  // nothing may open it to content scripts, and content scripts never touch storage.session or cookies.
  const code = filesUnder(DEMO_BUILD).filter((file) => file.endsWith('.js')).map((file) => readFileSync(file, 'utf8'));
  expect(code.some((text) => text.includes('setAccessLevel'))).toBe(false);
  expect(code.some((text) => /\.cookies\./.test(text))).toBe(false);
  for (const file of scripts) expect(readFileSync(path.join(DEMO_BUILD, file), 'utf8')).not.toMatch(/sessid/i);
});
