// A real Chromium policy file for the demo build's fixed ID, where Debian's
// Chromium reads it. Such a file reaches EVERY Chromium on the machine while
// it exists (running ones re-read the folder within seconds), and every demo
// build has that ID. So the policy test first announces itself (a marker in
// the temp folder: browsers the e2e fixtures launch wait while one exists,
// and two policy tests take turns, oldest first), then waits until no other
// browser with a demo build runs, writes the file for one test, and a
// detached watchdog removes it even if the test process is killed.
import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const POLICY_DIR = process.env.CHROMIUM_POLICY_DIR ?? '/etc/chromium/policies/managed';
const PREFIX = 'counters-for-bitrix24-e2e-';
/** The longest a policy file may live, whatever happens to the test. */
const WATCHDOG_SECONDS = 240;

/** Whether this process may write Chromium's policy folder (root, as on CI). */
export function canWritePolicies(): boolean {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export interface PolicyFile {
  file: string;
  remove(): void;
}

/** Writes `3rdparty.extensions.<id>` = values, and nothing else: no browser-wide policy. */
export function writeExtensionPolicy(extensionId: string, values: Record<string, unknown>): PolicyFile {
  mkdirSync(POLICY_DIR, { recursive: true });
  const file = path.join(POLICY_DIR, `${PREFIX}${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: values } } }, null, 2));
  const watchdog = spawn('sh', ['-c', `sleep ${WATCHDOG_SECONDS}; rm -f '${file}'`], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return {
    file,
    remove() {
      rmSync(file, { force: true });
      if (watchdog.pid) {
        try {
          process.kill(-watchdog.pid);
        } catch {
          // The watchdog ended already (it removed the file itself).
        }
      }
    },
  };
}

const MARKER_PREFIX = 'counters-for-bitrix24-e2e-policy-pending-';

interface Marker {
  pid: number;
  since: number;
}

/** Policy tests of live processes that announced themselves, oldest first. */
export function pendingPolicyTests(): Marker[] {
  const markers: Marker[] = [];
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(MARKER_PREFIX)) continue;
    const pid = Number(name.slice(MARKER_PREFIX.length));
    if (!existsSync(`/proc/${pid}`)) continue;
    try {
      markers.push({ pid, since: statSync(path.join(tmpdir(), name)).mtimeMs });
    } catch {
      // Removed meanwhile: that test is done.
    }
  }
  return markers.sort((a, b) => a.since - b.since || a.pid - b.pid);
}

/** Announces a policy test of this process; resolves when it is this one's turn. */
export function announcePolicyTest(): { isMyTurn(): boolean; done(): void } {
  const marker = path.join(tmpdir(), `${MARKER_PREFIX}${process.pid}`);
  writeFileSync(marker, '');
  return {
    isMyTurn: () => pendingPolicyTests()[0]?.pid === process.pid,
    done: () => rmSync(marker, { force: true }),
  };
}

/** This test suite's policy files now in the folder (another run's, or a killed test's until its watchdog fires). */
export function policyFilesPresent(): string[] {
  if (!existsSync(POLICY_DIR)) return [];
  return readdirSync(POLICY_DIR).filter((name) => name.startsWith(PREFIX));
}

/** Browser processes (not their helpers) that loaded a demo build: the fixed ID, which a policy file would reach. */
export function demoBrowsersRunning(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const loadsDemo = args.some((arg) => /^--load-extension=.*chrome-mv3-demo\/?$/.test(arg));
    if (loadsDemo && !args.some((arg) => arg.startsWith('--type='))) pids.push(Number(entry));
  }
  return pids;
}

export async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`Still ${what} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
