// Incoming-webhook URLs: `https://PORTAL/rest/{USER_ID}/{SECRET}/[method[.json]]`.
import { isLoopbackHost } from '../portal-hosts';

export interface Webhook {
  /** `https://example.bitrix24.com` */
  origin: string;
  userId: number;
  secret: string;
  /** Base every method is appended to: `https://example.bitrix24.com/rest/1/abc123/` */
  base: string;
}

export type WebhookUrlProblem =
  | 'empty'
  | 'notUrl'
  | 'notHttps'
  | 'notWebhookPath'
  | 'badUserId'
  | 'badSecret';

export type ParsedWebhook = { ok: true; webhook: Webhook } | { ok: false; problem: WebhookUrlProblem };

const SECRET_SHAPE = /^[A-Za-z0-9_-]{4,64}$/;
const METHOD_SHAPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.json)?$/i;

export function parseWebhookUrl(input: string): ParsedWebhook {
  const text = input.trim();
  if (!text) return { ok: false, problem: 'empty' };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, problem: 'notUrl' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'notUrl' };
  if (!url.hostname.includes('.') && !isLoopbackHost(url.hostname)) return { ok: false, problem: 'notUrl' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return { ok: false, problem: 'notHttps' };

  const parts = url.pathname.split('/').filter(Boolean);
  const restAt = parts.indexOf('rest');
  if (restAt < 0 || parts.length < restAt + 3) return { ok: false, problem: 'notWebhookPath' };
  const [userPart, secret, method, ...extra] = parts.slice(restAt + 1);
  if (extra.length > 0 || (method !== undefined && !METHOD_SHAPE.test(method))) {
    return { ok: false, problem: 'notWebhookPath' };
  }
  if (!/^[1-9][0-9]{0,9}$/.test(userPart)) return { ok: false, problem: 'badUserId' };
  if (!SECRET_SHAPE.test(secret)) return { ok: false, problem: 'badSecret' };

  const prefix = parts.slice(0, restAt).map((p) => `/${p}`).join('');
  const origin = url.origin;
  const userId = Number(userPart);
  return {
    ok: true,
    webhook: { origin, userId, secret, base: `${origin}${prefix}/rest/${userId}/${secret}/` },
  };
}

/** The webhook URL with its secret hidden, for showing to the user: `…/rest/1/ab…56/`. */
export function maskWebhook(webhook: Webhook): string {
  const s = webhook.secret;
  const shown = s.length > 6 ? `${s.slice(0, 2)}…${s.slice(-2)}` : '…';
  return webhook.base.replace(`/${s}/`, `/${shown}/`);
}

/** Replaces every occurrence of the secret in a text (error messages, logs). */
export function redactSecret(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}
