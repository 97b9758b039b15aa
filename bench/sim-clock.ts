// A discrete-event clock for many async actors (browsers, a neighbour
// integration, people changing the portal), so a simulated working day runs
// in minutes. Simulated time stands still while any actor is busy (a request
// on the wire, IndexedDB work) and jumps to the next timer once every actor
// waits in `sleep`. Real sync engines run on it unchanged: they only ever
// wait through the `now`/`sleep` they are given.

interface Timer {
  at: number;
  seq: number;
  wake: () => void;
}

export class SimClock {
  private t: number;
  private seq = 0;
  /** A binary min-heap on (at, seq): equal times wake in the order they were set. */
  private readonly heap: Timer[] = [];
  /** Actors doing something other than waiting on this clock. */
  private busy = 0;
  private onIdle: (() => void) | null = null;
  private readonly failures: unknown[] = [];

  constructor(start: number) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  /** Waits `ms` of simulated time; the calling actor counts as waiting meanwhile. */
  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      this.push({ at: this.t + Math.max(0, ms), seq: this.seq++, wake: resolve });
      this.busy--;
      this.checkIdle();
    });

  sleepUntil(at: number): Promise<void> {
    return this.sleep(at - this.t);
  }

  /** Starts an actor; its failure is kept and rethrown by {@link runUntil}. */
  spawn(actor: () => Promise<void>): void {
    this.busy++;
    void actor()
      .catch((error) => this.failures.push(error))
      .finally(() => {
        this.busy--;
        this.checkIdle();
      });
  }

  /**
   * Runs until simulated time `end`. Actors still waiting then stay parked
   * (their timers are kept: a later call goes on from there).
   */
  async runUntil(end: number): Promise<void> {
    for (;;) {
      await this.idle();
      if (this.failures.length) throw this.failures[0];
      const next = this.heap[0];
      if (!next || next.at > end) break;
      this.t = Math.max(this.t, next.at);
      // Everyone due now wakes together; each counts as busy before it runs.
      while (this.heap.length && this.heap[0].at <= this.t) {
        const timer = this.pop();
        this.busy++;
        timer.wake();
      }
    }
    this.t = Math.max(this.t, end);
  }

  private idle(): Promise<void> {
    if (this.busy <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onIdle = resolve;
    });
  }

  private checkIdle(): void {
    if (this.busy <= 0 && this.onIdle) {
      const resolve = this.onIdle;
      this.onIdle = null;
      resolve();
    }
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0];
    const last = h.pop() as Timer;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
