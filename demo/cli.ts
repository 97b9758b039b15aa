// `npm run portal`: the demo portal alone, until killed.
//   --port=N (or env PORT; default 8024)  --seed=N  --open-activities=N
//   --no-rate-limit  --rate=2 --burst=50  --log (a line per REST request)  --quiet
//   faults: --p503=0.1 --p500=0.1 --phtml=0.1 --pdrop=0.1 --latency=ms --stall=ms

import { defaultCounterList } from './counter-list.ts';
import { DEFAULT_PORT } from './config.ts';
import { type Faults, startPortal } from './server.ts';

function readArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) args.set(a.slice(2, eq), a.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) args.set(a.slice(2), argv[++i]);
    else args.set(a.slice(2), '');
  }
  return args;
}

function numberArg(args: Map<string, string>, name: string): number | undefined {
  const v = args.get(name);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    console.error(`--${name} needs a number, got "${v}"`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if (args.has('help')) {
    console.log('Usage: npm run portal -- [--port=8024] [--seed=1] [--open-activities=300] [--no-rate-limit] [--rate=2 --burst=50] [--log] [--quiet] [--p503=0.1 --p500=0.1 --phtml=0.1 --pdrop=0.1 --latency=ms --stall=ms] [--counter-list[=item|activity]]');
    return;
  }
  const port = numberArg(args, 'port') ?? (process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT);
  const portal = await startPortal({
    port,
    host: args.get('host') || '127.0.0.1',
    seed: numberArg(args, 'seed') ?? 1,
    openActivities: numberArg(args, 'open-activities'),
    rateLimit: {
      enabled: !args.has('no-rate-limit'),
      drainPerSecond: numberArg(args, 'rate') ?? 2,
      capacity: numberArg(args, 'burst') ?? 50,
    },
    quiet: args.has('quiet'),
    logRequests: args.has('log'),
  });
  const faults: Faults = {};
  const p503 = numberArg(args, 'p503');
  const p500 = numberArg(args, 'p500');
  const pHtml = numberArg(args, 'phtml');
  const pDrop = numberArg(args, 'pdrop');
  const latency = numberArg(args, 'latency');
  const stall = numberArg(args, 'stall');
  if (p503 !== undefined) faults.p503 = p503;
  if (p500 !== undefined) faults.p500 = p500;
  if (pHtml !== undefined) faults.pHtml = pHtml;
  if (pDrop !== undefined) faults.pDrop = pDrop;
  if (latency !== undefined) faults.latencyMs = latency;
  if (stall !== undefined) faults.stallMs = stall;
  if (Object.keys(faults).length) portal.faults.set(faults);
  // crm.counter.list, the portal's own counters (demo/counter-list.ts): off unless asked for.
  if (args.has('counter-list')) {
    portal.store.counterList = { ...defaultCounterList(), enabled: true, mode: args.get('counter-list') === 'activity' ? 'activity' : 'item' };
  }

  const open = [...portal.store.activities.values()].filter((a) => !a.completed).length;
  console.log(`Demo portal: ${open} open activities, ${portal.store.deals.size} deals, ${portal.store.users.size} users`);
  console.log(`Webhook: ${portal.webhookUrl}`);
  console.log(`Deals: ${portal.origin}/crm/deal/list/`);
  console.log(`Sign in (browser login): ${portal.origin}/auth/`);
  if (Object.keys(faults).length) console.log(`Faults: ${JSON.stringify(faults)}`);

  const stop = () => {
    void portal.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
