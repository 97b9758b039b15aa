// Builds of the extension for the benchmarks, in .output/bench/ (not the
// .output/chrome-mv3[-demo] that `npm run build[:demo]` and the e2e tests use:
// on a shared machine another run may rebuild those while a browser here has
// one loaded). A build is redone when the sources it is made from changed.
// BENCH_BUILD_FROM=HEAD (any git revision) builds from that commit's files
// instead of the working tree (in .output/bench/<commit>/): on a shared
// working tree another engineer's half-done change need not be measured.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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
/** A commit's files, unpacked once into .output/bench/<commit>/src (node_modules linked): the root to build from. */
function commitSources(revision: string): { root: string; outDir: string; hash: string } {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${revision}^{commit}`], { encoding: 'utf8' }).trim();
  const outDir = path.join(BENCH_OUT, commit.slice(0, 12));
  const root = path.join(outDir, 'src');
  if (!existsSync(path.join(root, 'package.json'))) {
    mkdirSync(root, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${root}"`]);
    symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'));
  }
  return { root, outDir, hash: commit };
}

export async function ensureBuild(kind: 'demo' | 'store'): Promise<string> {
  const from = process.env.BENCH_BUILD_FROM ? commitSources(process.env.BENCH_BUILD_FROM) : null;
  const outDir = from?.outDir ?? BENCH_OUT;
  const dir = path.join(outDir, kind === 'demo' ? 'chrome-mv3-demo' : 'chrome-mv3');
  const stamp = `${dir}.sources`;
  const hash = from?.hash ?? sourceHash();
  if (existsSync(path.join(dir, 'manifest.json')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return dir;
  console.error(`building the ${kind} build into ${path.relative(process.cwd(), dir)}…`);
  const { build } = await import('wxt');
  const quiet = () => {};
  await build({
    ...(from ? { root: from.root } : {}),
    mode: kind === 'demo' ? 'demo' : 'production',
    browser: 'chrome',
    outDir,
    logger: { debug: quiet, log: quiet, info: quiet, success: quiet, warn: console.error, error: console.error, fatal: console.error, level: 3 },
  });
  writeFileSync(stamp, hash);
  return dir;
}
