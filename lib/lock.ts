// One writer at a time for a read-then-write of extension storage. The Web Locks
// API holds a lock across every context of the extension's origin (options page,
// popup, service worker: Chromium, and Firefox since 96); where it is missing
// (unit tests on Node 20), calls in this context wait for each other.

const tails = new Map<string, Promise<unknown>>();

function inThisContext<T>(name: string, run: () => Promise<T>): Promise<T> {
  const before = tails.get(name) ?? Promise.resolve();
  const result = before.then(run, run);
  const tail = result.catch(() => undefined);
  tails.set(name, tail);
  void tail.then(() => {
    if (tails.get(name) === tail) tails.delete(name);
  });
  return result;
}

/** Runs `run` once no other holder of the lock `name` runs, in this context or another of the extension's. */
export function withLock<T>(name: string, run: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request(name, run) as Promise<T>) : inThisContext(name, run);
}
