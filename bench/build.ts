// Builds of the extension for the benchmarks, in .output/bench/ (not the
// .output/chrome-mv3[-demo] that `npm run build[:demo]` and the e2e tests use:
// on a shared machine another run may rebuild those while a browser here has
// one loaded). A build is redone when the sources it is made from changed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const BENCH_OUT = path.resolve('.output/bench');

const SOURCES = ['entrypoints', 'components', 'lib', 'public', 'wxt.config.ts', 'package-lock.json', 'tsconfig.json'];

function filesUnder(entry: string): string[] {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry, { withFileTypes: true })
    .flatMap((child) => filesUnder(path.join(entry, child.name)))
    .filter((file) => !/\.test\.tsx?$/.test(file));
}

/** A hash of everything a build is made from (unit tests left out). */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(filesUnder).sort()) {
    hash.update(file);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/**
 * The directory of a Chromium build: `demo` as `npm run build:demo` makes it
 * (chips on the loopback demo portal too), `store` as `npm run build`.
 * Built when missing or older than its sources.
 */
export async function ensureBuild(kind: 'demo' | 'store'): Promise<string> {
  const dir = path.join(BENCH_OUT, kind === 'demo' ? 'chrome-mv3-demo' : 'chrome-mv3');
  const stamp = `${dir}.sources`;
  const hash = sourceHash();
  if (existsSync(path.join(dir, 'manifest.json')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return dir;
  console.error(`building the ${kind} build into ${path.relative(process.cwd(), dir)}…`);
  const { build } = await import('wxt');
  const quiet = () => {};
  await build({
    mode: kind === 'demo' ? 'demo' : 'production',
    browser: 'chrome',
    outDir: BENCH_OUT,
    logger: { debug: quiet, log: quiet, info: quiet, success: quiet, warn: console.error, error: console.error, fatal: console.error, level: 3 },
  });
  writeFileSync(stamp, hash);
  return dir;
}
