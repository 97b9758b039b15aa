// The two ways a request to the portal is authorized (docs/bitrix24-rest.md):
// an incoming webhook (the secret in the path, no cookies) or the browser's
// own Bitrix24 session (the portal's cookies, attached by the browser, plus
// the session's `sessid` parameter), as the portal's own pages call REST.
import type { Webhook } from './webhook';

/** Where the session's sessid is kept between requests (and between worker lives). */
export interface SessidStore {
  /** The last known sessid; '' when none is known yet (the portal answers with it). */
  load(): Promise<string> | string;
  save(sessid: string): Promise<void> | void;
}

export interface WebhookAuth {
  kind: 'webhook';
  webhook: Webhook;
}

export interface SessionAuth {
  kind: 'session';
  /** `https://example.bitrix24.com` */
  origin: string;
  sessid: SessidStore;
  /**
   * The connected user: every request must run as them (the browser may now be
   * signed in as someone else). Null while connecting, before it is known.
   */
  userId: number | null;
}

export type PortalAuth = WebhookAuth | SessionAuth;

export function webhookAuth(webhook: Webhook): WebhookAuth {
  return { kind: 'webhook', webhook };
}

/** A sessid store in memory: for a connection check, or tests. */
export function memorySessid(initial = ''): SessidStore {
  let value = initial;
  return {
    load: () => value,
    save: (sessid) => {
      value = sessid;
    },
  };
}

/**
 * The URL and cookie mode of one request. Session requests carry `sessid` in
 * the query string (the portal opens the session before it reads a JSON
 * body) and `BX_LAST_ACTIVITY=N`, so polling never shows the user online.
 * Webhook requests never send cookies: a session of another user would make
 * the portal refuse the webhook.
 */
export function requestOf(auth: PortalAuth, method: string, sessid: string): { url: string; credentials: RequestCredentials } {
  if (auth.kind === 'webhook') return { url: `${auth.webhook.base}${method}.json`, credentials: 'omit' };
  const query = `sessid=${encodeURIComponent(sessid)}&BX_LAST_ACTIVITY=N`;
  return { url: `${auth.origin}/rest/${method}.json?${query}`, credentials: 'include' };
}
