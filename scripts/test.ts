// `npm test`: every check, in order, each one run even when an earlier one
// failed (so one run tells everything), then the summary lines CI reads:
// `unit: N passed, N failed`, `e2e: …`, `firefox: …`. Exits non-zero when anything failed.
import { spawn } from 'node:child_process';

interface Step {
  name: string;
  script: string;
  /** The summary line's word, for steps that run tests. */
  summary?: 'unit' | 'e2e' | 'firefox';
  /** Steps that need this one to have passed. */
  needs?: string;
}

const STEPS: Step[] = [
  { name: 'typecheck', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'unit', script: 'test:unit', summary: 'unit' },
  { name: 'build:demo', script: 'build:demo' },
  { name: 'e2e', script: 'test:e2e', summary: 'e2e', needs: 'build:demo' },
  { name: 'lint:firefox', script: 'lint:firefox' },
  { name: 'firefox', script: 'test:firefox', summary: 'firefox' },
];

const SUMMARY = /^(unit|e2e|firefox): (\d+) passed, (\d+) failed\s*$/;
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function run(script: string): Promise<{ code: number; summary: string | null }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let summary: string | null = null;
    let rest = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (SUMMARY.test(line.replace(COLOUR, ''))) summary = line.replace(COLOUR, '').trim();
    });
    child.on('close', (code) => {
      if (SUMMARY.test(rest)) summary = rest.trim();
      resolve({ code: code ?? 1, summary });
    });
  });
}

async function main() {
  const results = new Map<string, { ok: boolean; summary: string | null }>();
  for (const step of STEPS) {
    if (step.needs && !results.get(step.needs)?.ok) {
      results.set(step.name, { ok: false, summary: null });
      console.log(`\n> ${step.name}: skipped (${step.needs} failed)`);
      continue;
    }
    console.log(`\n> ${step.name}`);
    const started = Date.now();
    const { code, summary } = await run(step.script);
    results.set(step.name, { ok: code === 0, summary });
    console.log(`> ${step.name}: ${code === 0 ? 'ok' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  console.log('');
  for (const step of STEPS.filter((s) => !s.summary)) {
    console.log(`${step.name}: ${results.get(step.name)?.ok ? 'ok' : 'FAILED'}`);
  }
  for (const step of STEPS.filter((s) => s.summary)) {
    const result = results.get(step.name)!;
    // A runner that crashed or never ran counts as a failure.
    console.log(result.summary ?? `${step.summary}: 0 passed, ${result.ok ? 0 : 1} failed`);
  }
  const failed = [...results.values()].some((r) => !r.ok);
  process.exit(failed ? 1 : 0);
}

void main();
