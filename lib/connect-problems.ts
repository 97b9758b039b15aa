// The words for every way a connection can fail, as _locales message keys.
import type { ConnectFailure } from './connection';

const KEYS: Record<ConnectFailure['problem'], string> = {
  empty: 'problemEmpty',
  notUrl: 'problemNotUrl',
  notHttps: 'problemNotHttps',
  notWebhookPath: 'problemNotWebhookPath',
  badUserId: 'problemBadUserId',
  badSecret: 'problemBadSecret',
  rateLimit: 'problemBusy',
  timeLimit: 'problemBusy',
  badCredentials: 'problemBadCredentials',
  missingScope: 'problemMissingScope',
  authExpired: 'problemAuthExpired',
  restUnavailable: 'problemRestUnavailable',
  httpsRequired: 'problemNotHttps',
  methodNotFound: 'problemMethodNotFound',
  recordDenied: 'problemOther',
  server: 'problemServer',
  unreachable: 'problemUnreachable',
  timeout: 'problemTimeout',
  notJson: 'problemNotJson',
  other: 'problemOther',
};

export function problemMessage(failure: ConnectFailure, t: (key: string, subs?: string[]) => string): string {
  return t(KEYS[failure.problem], failure.scope ? [failure.scope] : undefined);
}

/** Words for a sync error's kind (badge tooltip, popup); unknown kinds read as a generic problem. */
export function syncProblemMessage(kind: string, t: (key: string, subs?: string[]) => string, scope?: string): string {
  const problem = (kind in KEYS ? kind : 'other') as ConnectFailure['problem'];
  return problemMessage({ ok: false, problem, ...(scope ? { scope } : {}) }, t);
}
