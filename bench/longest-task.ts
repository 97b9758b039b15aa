// The longest main-thread task of a page while something runs in it (issue
// #18): from a Chromium trace (CDP Tracing, the Performance panel's "Task"
// events, RunTask), on the renderer main thread that records the page's
// `bench-window-start` mark, between that mark and `bench-window-end`. The
// longtask observer reports only tasks over 50 ms, a threshold in ms: 0 on a
// fast machine and a figure on a slow one for the same code, no ratio at all.
// Each task has two lengths: its wall time (`dur`, what a person feels) and
// its thread time (`tdur`, the CPU the thread spent in it). On a loaded
// machine a task's wall time grows with the time its thread waited for a
// core, the more so the longer the task, so a long task's wall time over a
// short one's drifts with the load (2.6× on a quiet machine, 4.4× beside an
// `npm test`); their thread times do not: the ratio is judged on those.
import type { Page } from '@playwright/test';

export const WINDOW_START = 'bench-window-start';
export const WINDOW_END = 'bench-window-end';

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs: Chromium gives it with `dur` on its RunTask events. */
  tdur?: number;
}

export interface LongestTask {
  /** The longest task by wall time, ms. */
  wallMs: number;
  /** The longest task by thread time, ms (its wall time when the trace has none). */
  threadMs: number;
}

/** The longest RunTask overlapping the window the marks bound, on the thread that recorded them, by each clock; 0 without the marks. */
export function longestTaskIn(events: TraceEvent[]): LongestTask {
  const start = events.find((e) => e.name === WINDOW_START);
  const end = events.find((e) => e.name === WINDOW_END && start && e.pid === start.pid && e.tid === start.tid);
  const longest = { wallMs: 0, threadMs: 0 };
  if (!start || !end) return longest;
  for (const e of events) {
    if (e.name !== 'RunTask' || e.ph !== 'X' || e.pid !== start.pid || e.tid !== start.tid || e.dur === undefined) continue;
    if (e.ts + e.dur < start.ts || e.ts > end.ts) continue;
    longest.wallMs = Math.max(longest.wallMs, e.dur / 1000);
    longest.threadMs = Math.max(longest.threadMs, (e.tdur ?? e.dur) / 1000);
  }
  return longest;
}

/** Runs `work` (which marks WINDOW_START and WINDOW_END in the page) under a trace; its result and the longest task. */
export async function withLongestTask<T>(page: Page, work: () => Promise<T>): Promise<{ result: T; longest: LongestTask }> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    categories: 'disabled-by-default-devtools.timeline,blink.user_timing',
    transferMode: 'ReportEvents',
  });
  try {
    const result = await work();
    await cdp.send('Tracing.end');
    await complete;
    return { result, longest: longestTaskIn(events) };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
