// Connecting a portal, with a webhook or with the browser's Bitrix24 login:
// ask the portal who we are (and, for a webhook, what it may do), and
// describe every failure in a way the options page can put into words.
import type { SessionAuth } from './bitrix/auth';
import { type BitrixClient, type ClientOptions, createClient } from './bitrix/client';
import { BitrixError, type BitrixErrorKind } from './bitrix/errors';
import { type PortalAddressProblem, parsePortalAddress } from './bitrix/portal-address';
import { maskWebhook, parseWebhookUrl, type Webhook, type WebhookUrlProblem } from './bitrix/webhook';
import { fullName } from './domain';
import type { ConnectionRecord } from './store/db';

/**
 * `loginUnsupported`: the portal answered the login mode with something its REST does not document for it;
 * `hostRefused`: the user did not grant the portal's host permission, without which the login cannot be used;
 * `policyMode`, `policyPortal`: the administrator's policy allows another way in, or another portal only (lib/managed.ts).
 */
export type ConnectProblem =
  | WebhookUrlProblem
  | PortalAddressProblem
  | BitrixErrorKind
  | 'loginUnsupported'
  | 'hostRefused'
  | 'policyMode'
  | 'policyPortal';

export interface ConnectFailure {
  ok: false;
  problem: ConnectProblem;
  /** The scope that is missing, for `missingScope`. */
  scope?: string;
  /** The portal concerned (login mode, so the page can offer to open it; policyPortal: the one the policy allows). */
  origin?: string;
}

/** What pages may see of the connection: no secret. */
export interface ConnectionView {
  origin: string;
  mode: 'webhook' | 'login';
  /** The webhook URL with its secret masked; null in login mode. */
  maskedUrl: string | null;
  userId: number;
  userName: string;
  connectedAt: number;
}

export type ConnectResult = { ok: true; connection: ConnectionView } | ConnectFailure;

export function viewOf(record: ConnectionRecord): ConnectionView {
  const parsed = record.mode === 'login' ? null : parseWebhookUrl(record.webhookUrl);
  return {
    origin: record.origin,
    mode: record.mode === 'login' ? 'login' : 'webhook',
    maskedUrl: parsed === null ? null : parsed.ok ? maskWebhook(parsed.webhook) : record.origin,
    userId: record.userId,
    userName: record.userName,
    connectedAt: record.connectedAt,
  };
}

interface UserCurrentWire {
  ID?: unknown;
  NAME?: unknown;
  LAST_NAME?: unknown;
  TIME_ZONE?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** The client a connection check uses: fail fast, a person is waiting. */
export const CHECK_CLIENT_OPTIONS: Partial<ClientOptions> = { retries: 1, timeoutMs: 15_000, maxWaitMs: 5_000 };

/**
 * Checks a webhook URL against its portal: `user.current` (who), then `scope`
 * (the webhook must have `crm`). Resolves to the record to save, or a failure.
 */
export async function checkWebhook(
  input: string,
  now: number,
  makeClient: (webhook: Webhook) => BitrixClient = (webhook) => createClient({ webhook, ...CHECK_CLIENT_OPTIONS }),
): Promise<{ ok: true; record: ConnectionRecord } | ConnectFailure> {
  const parsed = parseWebhookUrl(input);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  const client = makeClient(parsed.webhook);
  try {
    const user = (await client.call<UserCurrentWire>('user.current')).result;
    const userId = Number(text(user?.ID));
    if (!user || typeof user !== 'object' || !Number.isInteger(userId) || userId <= 0) {
      return { ok: false, problem: 'notJson' };
    }
    const scopes = (await client.call<unknown>('scope')).result;
    const scopeList = Array.isArray(scopes) ? scopes.map(text) : [];
    if (!scopeList.includes('crm')) return { ok: false, problem: 'missingScope', scope: 'crm' };
    return {
      ok: true,
      record: { mode: 'webhook', webhookUrl: parsed.webhook.base, origin: parsed.webhook.origin, ...who(user, userId), scopes: scopeList, connectedAt: now },
    };
  } catch (error) {
    if (error instanceof BitrixError) {
      return error.kind === 'missingScope'
        ? { ok: false, problem: 'missingScope', scope: error.scope ?? 'crm' }
        : { ok: false, problem: error.kind };
    }
    throw error;
  }
}

function who(user: UserCurrentWire, userId: number): Pick<ConnectionRecord, 'userId' | 'userName' | 'timeZone'> {
  const zone = text(user.TIME_ZONE).trim();
  return { userId, userName: fullName(text(user.NAME), text(user.LAST_NAME)) || `#${userId}`, timeZone: zone || null };
}

/** What a session call may answer besides data; anything else means the portal does not offer the login mode. */
const LOGIN_PROBLEMS = new Set<BitrixErrorKind>([
  'signedOut',
  'userTypeDenied',
  'sessionFailed',
  'rateLimit',
  'server',
  'unreachable',
  'timeout',
]);

/**
 * Checks the browser's login on a portal: `user.current` with the portal's
 * cookies (the sessid is learned from the first answer). Resolves to the
 * record to save, or a failure. The session gets every scope: no scope check.
 */
export async function checkLogin(
  input: string,
  now: number,
  sessidFor: (origin: string) => SessionAuth['sessid'],
  makeClient: (auth: SessionAuth) => BitrixClient = (auth) => createClient({ auth, ...CHECK_CLIENT_OPTIONS }),
): Promise<{ ok: true; record: ConnectionRecord } | ConnectFailure> {
  const parsed = parsePortalAddress(input);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  const { origin } = parsed;
  const client = makeClient({ kind: 'session', origin, sessid: sessidFor(origin), userId: null });
  try {
    const user = (await client.call<UserCurrentWire>('user.current')).result;
    const userId = Number(text(user?.ID));
    if (!user || typeof user !== 'object' || !Number.isInteger(userId) || userId <= 0) {
      return { ok: false, problem: 'loginUnsupported', origin };
    }
    return {
      ok: true,
      record: { mode: 'login', webhookUrl: '', origin, ...who(user, userId), scopes: [], connectedAt: now },
    };
  } catch (error) {
    if (!(error instanceof BitrixError)) throw error;
    return { ok: false, problem: LOGIN_PROBLEMS.has(error.kind) ? error.kind : 'loginUnsupported', origin };
  }
}
