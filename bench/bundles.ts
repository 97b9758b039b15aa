// Bundle sizes (issue #7) of the store build (`npm run build`, built here into
// .output/bench/chrome-mv3 when missing or stale): what each part of the
// extension loads, minified as shipped and gzipped at level 9 file by file
// (KB = 1,024 bytes). A page counts its HTML, its scripts with every chunk
// they import statically (the shared ones too), and its stylesheets.
// Alone: `npm run bench -- bundles`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureBuild } from './build';
import type { BenchRow } from './report';

const KB = 1024;

/** The files a script loads: itself and, transitively, the chunks it imports statically. */
function withImports(dir: string, file: string, out: Set<string>): void {
  if (out.has(file)) return;
  out.add(file);
  if (!file.endsWith('.js')) return;
  const code = readFileSync(path.join(dir, file), 'utf8');
  // Static imports only (`import … from "./x.js"`, `import "./x.js"`); a dynamic import() loads on demand.
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^'"`()]*?\bfrom\s*)?["']([^"']+\.js)["']/g)) {
    withImports(dir, path.posix.join(path.posix.dirname(file), m[1]), out);
  }
}

/** What an extension page loads: the HTML, its module scripts and their imports, modulepreloads, stylesheets. */
function pageFiles(dir: string, html: string): Set<string> {
  const out = new Set<string>([html]);
  const text = readFileSync(path.join(dir, html), 'utf8');
  const refs = [
    ...[...text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...text.matchAll(/<link[^>]*\srel="(?:modulepreload|stylesheet)"[^>]*\shref="([^"]+)"/g)].map((m) => m[1]),
  ];
  for (const ref of refs) withImports(dir, ref.replace(/^\//, ''), out);
  return out;
}

function sizes(dir: string, files: Iterable<string>): { min: number; gz: number } {
  let min = 0;
  let gz = 0;
  for (const file of files) {
    const bytes = readFileSync(path.join(dir, file));
    min += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { min, gz };
}

export async function benchBundles(): Promise<BenchRow[]> {
  const dir = await ensureBuild('store');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const content = new Set<string>();
  for (const script of manifest.content_scripts ?? []) {
    for (const file of [...(script.js ?? []), ...(script.css ?? [])]) withImports(dir, file, content);
  }
  const background = new Set<string>();
  withImports(dir, manifest.background.service_worker, background);
  const parts: [string, Set<string>, number | null][] = [
    ['content script', content, 12],
    ['popup', pageFiles(dir, manifest.action.default_popup), 40],
    ['background', background, null],
    ['options page', pageFiles(dir, manifest.options_ui.page), null],
  ];
  const rows: BenchRow[] = [];
  const lines: string[] = [];
  for (const [name, files, budget] of parts) {
    const { min, gz } = sizes(dir, files);
    const kb = (n: number) => Math.round((n / KB) * 10) / 10;
    rows.push({ figure: `bundle: ${name}, minified`, unit: 'KB', median: kb(min), min: kb(min), max: kb(min), budget: null });
    rows.push({ figure: `bundle: ${name}, gzip -9`, unit: 'KB', median: kb(gz), min: kb(gz), max: kb(gz), budget });
    lines.push(`${name}: ${[...files].join(', ')}`);
  }
  console.error(`bundles (${path.relative(process.cwd(), dir)}):\n  ${lines.join('\n  ')}`);
  return rows;
}
