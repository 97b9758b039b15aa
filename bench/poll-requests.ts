// Requests per poll from a portal's own request log and the worker's `sync-run`
// measures, matched by time (bench/portals.ts). Only runs that started and
// ended inside the window count, with the requests that arrived during them;
// a request that arrived in the window outside every run is reported apart
// (nothing but a run should call the portal when nothing changes).

export interface RunSpan {
  /** Wall-clock ms. */
  start: number;
  end: number;
}

export interface LoggedRequest {
  /** Wall-clock ms. */
  at: number;
  method: string;
}

export interface PollRequests {
  /** Runs wholly inside the window. */
  runs: number;
  /** Requests that arrived during those runs. */
  requests: number;
  /** Requests in the window during no run at all (methods). */
  stray: string[];
}

/** `slackMs`: how far the two clocks (browser, Node) may disagree around a run's edges. */
export function pollRequests(runs: RunSpan[], log: LoggedRequest[], window: RunSpan, slackMs = 50): PollRequests {
  const inside = runs.filter((r) => r.start >= window.start && r.end <= window.end);
  const during = (at: number, r: RunSpan) => at >= r.start - slackMs && at <= r.end + slackMs;
  const inWindow = log.filter((q) => q.at >= window.start && q.at <= window.end);
  return {
    runs: inside.length,
    requests: inWindow.filter((q) => inside.some((r) => during(q.at, r))).length,
    stray: inWindow.filter((q) => !runs.some((r) => during(q.at, r))).map((q) => q.method),
  };
}
