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
  subscriptionEnded: 'problemSubscriptionEnded',
  sessionFailed: 'problemSessionFailed',
  signedOut: 'problemSignedOut',
  otherUser: 'problemOtherUser',
  userTypeDenied: 'problemUserTypeDenied',
  emptyAddress: 'problemEmptyAddress',
  notAddress: 'problemNotAddress',
  notHttpsAddress: 'problemNotHttpsAddress',
  loginUnsupported: 'problemLoginUnsupported',
  hostRefused: 'problemHostRefused',
  policyMode: 'problemPolicyMode',
  policyPortal: 'problemPolicyPortal',
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
  // Connecting with the login while signed out: the page names the portal and offers to open it.
  if (failure.problem === 'signedOut' && failure.origin) return t('problemNotSignedIn', [new URL(failure.origin).host]);
  if (failure.problem === 'policyPortal' && failure.origin) return t('problemPolicyPortal', [new URL(failure.origin).host]);
  return t(KEYS[failure.problem], failure.scope ? [failure.scope] : undefined);
}

/** Problems of the sync that the user fixes by signing in to the portal again, in a tab. */
export function needsSignIn(kind: string | undefined): boolean {
  return kind === 'signedOut' || kind === 'otherUser' || kind === 'sessionFailed';
}

/** Webhook problems the login mode avoids: the page offers it. */
export function loginWouldHelp(problem: ConnectFailure['problem']): boolean {
  return problem === 'restUnavailable' || problem === 'subscriptionEnded' || problem === 'badCredentials' || problem === 'authExpired';
}

/** Words for a sync error's kind (badge tooltip, popup); unknown kinds read as a generic problem. */
export function syncProblemMessage(kind: string, t: (key: string, subs?: string[]) => string, scope?: string): string {
  const problem = (kind in KEYS ? kind : 'other') as ConnectFailure['problem'];
  return problemMessage({ ok: false, problem, ...(scope ? { scope } : {}) }, t);
}
