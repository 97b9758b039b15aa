// The reference task of issue #18: a fixed piece of plain JavaScript of the
// counter engine's shape (build 100,000 records, sort them, group them in a
// Map), timed next to the work it is the unit for, in the same JavaScript
// engine: Node for the counter engine, the service worker for a poll's work.
// One source text serves all three (Node, the worker through CDP, a page), so
// every place runs exactly the same code; it must stay self-contained.

/** Records the reference task builds and sorts. */
export const REFERENCE_RECORDS = 100_000;

/**
 * `(n) => checksum`: n records of an activity's shape from a fixed PRNG
 * (mulberry32, seed 42), sorted by responsible then deadline, counted per
 * owner in a Map. The checksum keeps the work from being optimised away.
 */
export const REFERENCE_SOURCE = `(n) => {
  let a = 42;
  const records = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      r[k] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    records[i] = {
      id: i + 1,
      ownerId: 1 + Math.floor(r[0] * 20000),
      responsibleId: 1 + Math.floor(r[1] * 200),
      deadline: 1778659200000 + Math.floor((r[2] * 60 - 30) * 86400000),
      subject: 'Activity ' + (i + 1),
    };
  }
  records.sort((x, y) => x.responsibleId - y.responsibleId || x.deadline - y.deadline || x.id - y.id);
  const perOwner = new Map();
  for (const rec of records) perOwner.set(rec.ownerId, (perOwner.get(rec.ownerId) || 0) + 1);
  return records[0].id + records[n - 1].id * 3 + perOwner.size * 7;
}`;

/** An expression that runs the task once on `n` records and evaluates to its milliseconds (for a worker or a page). */
export function timedReferenceExpression(n = REFERENCE_RECORDS): string {
  return `(() => { const task = ${REFERENCE_SOURCE}; const t0 = performance.now(); const sum = task(${n}); const ms = performance.now() - t0; if (!(sum > 0)) throw new Error('reference task: bad checksum'); return ms; })()`;
}

const task = new Function(`return ${REFERENCE_SOURCE}`)() as (n: number) => number;

/** Runs the task in this process; returns its checksum. */
export function referenceTask(n = REFERENCE_RECORDS): number {
  return task(n);
}

/** Runs the task in this process; returns its milliseconds. */
export function timeReference(n = REFERENCE_RECORDS): number {
  const t0 = performance.now();
  const sum = task(n);
  const ms = performance.now() - t0;
  if (!(sum > 0)) throw new Error('reference task: bad checksum');
  return ms;
}
