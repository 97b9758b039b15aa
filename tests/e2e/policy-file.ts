// A real Chromium policy file, where Debian's Chromium reads it. Such a file
// reaches EVERY Chromium on the machine while it exists (running ones re-read
// the folder within seconds). So the policy test names an extension ID no
// other browser has: its own copy of the demo build with a manifest key made
// for this test (policyBuild), and the file reaches nothing but that copy,
// while the other tests run beside it. A detached watchdog removes the file
// even if the test process is killed.
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_EXTENSION_ID } from '../../lib/manifest';
import { DEMO_BUILD } from '../../scripts/chromium';

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

/** Chromium's ID of an extension with this manifest `key`: the first 128 bits of its SHA-256, hex digits 0-f written as a-p. */
export function extensionIdOfKey(key: string): string {
  const hash = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hash].map((h) => String.fromCharCode(97 + Number.parseInt(h, 16))).join('');
}

export interface PolicyBuild {
  dir: string;
  extensionId: string;
  remove(): void;
}

/**
 * A copy of the demo build with a new manifest key (a fresh public key; its private half is thrown away:
 * nothing is packed or signed), so an extension ID that no other browser on the machine has.
 */
export function policyBuild(): PolicyBuild {
  if (!existsSync(path.join(DEMO_BUILD, 'manifest.json'))) throw new Error(`No build at ${DEMO_BUILD}: run npm run build:demo first.`);
  const dir = mkdtempSync(path.join(tmpdir(), 'b24-counters-policy-build-'));
  cpSync(DEMO_BUILD, dir, { recursive: true });
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const manifestFile = path.join(dir, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), key }));
  return { dir, extensionId: extensionIdOfKey(key), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface PolicyFile {
  file: string;
  remove(): void;
}

/** Writes `3rdparty.extensions.<id>` = values, and nothing else: no browser-wide policy. */
export function writeExtensionPolicy(extensionId: string, values: Record<string, unknown>): PolicyFile {
  // Never for the demo build's own ID: that would reach every demo browser on the machine.
  if (extensionId === DEMO_EXTENSION_ID) throw new Error('A policy for the demo build’s fixed ID would reach other tests’ browsers: use policyBuild().');
  mkdirSync(POLICY_DIR, { recursive: true });
  const file = path.join(POLICY_DIR, `${PREFIX}${process.pid}-${extensionId}.json`);
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

/**
 * Policy files in the folder that name the demo build's fixed ID. This suite writes none; an older
 * checkout of it did (its policy test, run from another working copy on the same machine), and
 * while one exists it reaches every demo browser.
 */
export function demoBuildPolicies(): string[] {
  if (!existsSync(POLICY_DIR)) return [];
  return readdirSync(POLICY_DIR).filter((name) => {
    try {
      return readFileSync(path.join(POLICY_DIR, name), 'utf8').includes(DEMO_EXTENSION_ID);
    } catch {
      return false;
    }
  });
}

export async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`Still ${what} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
