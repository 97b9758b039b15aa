// Connecting a portal: check the webhook URL, ask the portal who we are and
// what the webhook may do, and describe every failure in a way the options
// page can put into words.
import { type BitrixClient, type ClientOptions, createClient } from './bitrix/client';
import { BitrixError, type BitrixErrorKind } from './bitrix/errors';
import { maskWebhook, parseWebhookUrl, type Webhook, type WebhookUrlProblem } from './bitrix/webhook';
import { fullName } from './domain';
import type { ConnectionRecord } from './store/db';

export type ConnectProblem = WebhookUrlProblem | BitrixErrorKind;

export interface ConnectFailure {
  ok: false;
  problem: ConnectProblem;
  /** The scope that is missing, for `missingScope`. */
  scope?: string;
}

/** What pages may see of the connection: no secret. */
export interface ConnectionView {
  origin: string;
  maskedUrl: string;
  userId: number;
  userName: string;
  connectedAt: number;
}

export type ConnectResult = { ok: true; connection: ConnectionView } | ConnectFailure;

export function viewOf(record: ConnectionRecord): ConnectionView {
  const parsed = parseWebhookUrl(record.webhookUrl);
  return {
    origin: record.origin,
    maskedUrl: parsed.ok ? maskWebhook(parsed.webhook) : record.origin,
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
    const zone = text(user.TIME_ZONE).trim();
    return {
      ok: true,
      record: {
        webhookUrl: parsed.webhook.base,
        origin: parsed.webhook.origin,
        userId,
        userName: fullName(text(user.NAME), text(user.LAST_NAME)) || `#${userId}`,
        timeZone: zone || null,
        scopes: scopeList,
        connectedAt: now,
      },
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
