import { describe, expect, it } from 'vitest';
import { pollRequests } from '../../bench/poll-requests';

describe('pollRequests (bench/portals.ts idle polls)', () => {
  const window = { start: 1000, end: 2000 };

  it('counts only runs wholly inside the window, with the requests that arrived during them', () => {
    const runs = [
      { start: 900, end: 1100 }, // began before the window: its request is not a poll of the window
      { start: 1200, end: 1300 },
      { start: 1500, end: 1700 },
      { start: 1950, end: 2100 }, // still running at the window's end
    ];
    const log = [
      { at: 1050, method: 'batch' },
      { at: 1210, method: 'batch' },
      { at: 1510, method: 'batch' },
      { at: 1960, method: 'batch' },
    ];
    expect(pollRequests(runs, log, window)).toEqual({ runs: 2, requests: 2, stray: [] });
  });

  it('reports a request during no run apart, by method', () => {
    const runs = [{ start: 1200, end: 1300 }];
    const log = [
      { at: 1250, method: 'batch' },
      { at: 1400, method: 'user.get' },
      { at: 2500, method: 'user.get' }, // after the window
    ];
    expect(pollRequests(runs, log, window)).toEqual({ runs: 1, requests: 1, stray: ['user.get'] });
  });

  it('allows the two clocks a little slack at a run’s edges', () => {
    const runs = [{ start: 1200, end: 1300 }];
    const log = [{ at: 1180, method: 'batch' }];
    expect(pollRequests(runs, log, window)).toEqual({ runs: 1, requests: 1, stray: [] });
    expect(pollRequests(runs, log, window, 10)).toEqual({ runs: 1, requests: 0, stray: ['batch'] });
  });
});
