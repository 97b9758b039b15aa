// Errors of the REST client, classified by the portal's `error` code (not by
// HTTP status: docs and code disagree on statuses). See docs/bitrix24-rest.md.

export type BitrixErrorKind =
  /** QUERY_LIMIT_EXCEEDED: the request-rate bucket is full. */
  | 'rateLimit'
  /** OPERATION_TIME_LIMIT: one method used too much server time. */
  | 'timeLimit'
  /** NO_AUTH_FOUND, INVALID_CREDENTIALS: wrong or disabled webhook. */
  | 'badCredentials'
  /** insufficient_scope: the webhook lacks a scope. */
  | 'missingScope'
  /** expired_token, invalid_token, authorization_error. */
  | 'authExpired'
  /** ACCESS_DENIED (upper case): REST webhooks not available on this plan / without the Market subscription. */
  | 'restUnavailable'
  /** PAYMENT_REQUIRED: the portal's Market subscription ended. */
  | 'subscriptionEnded'
  /** session_failed, still after the retry with the sessid the portal gave. */
  | 'sessionFailed'
  /** access_denied (lower case) + user_not_authorized: the browser is signed out of the portal. */
  | 'signedOut'
  /** The session belongs to another user than the connected one (the poll's identity check). */
  | 'otherUser'
  /** access_denied "Access denied for this type of user": a bot, connector or shop account. */
  | 'userTypeDenied'
  /** INVALID_REQUEST, "Https required". */
  | 'httpsRequired'
  /** ERROR_METHOD_NOT_FOUND: method unknown on this portal. */
  | 'methodNotFound'
  /** Empty code with "Access denied." / "Not found": that record only. */
  | 'recordDenied'
  /** INTERNAL_SERVER_ERROR, other 5xx. */
  | 'server'
  /** No answer: DNS, refused connection, dropped connection, CORS. */
  | 'unreachable'
  /** No answer within the request timeout. */
  | 'timeout'
  /** An answer that is not Bitrix24 JSON (captive portal, maintenance page). */
  | 'notJson'
  /** A Bitrix24 error code this client does not know. */
  | 'other';

/**
 * What the caller should do about an error. `reauth`: nothing the extension can
 * do; the user signs in again in a tab, so try again at the normal poll pace
 * (never faster: each try is a request the portal answers with a 401).
 */
export type ErrorAction = 'retry' | 'wait' | 'stop' | 'skip' | 'degrade' | 'reauth';

export const ERROR_ACTION: Record<BitrixErrorKind, ErrorAction> = {
  rateLimit: 'wait',
  timeLimit: 'wait',
  badCredentials: 'stop',
  missingScope: 'stop',
  authExpired: 'stop',
  restUnavailable: 'stop',
  subscriptionEnded: 'stop',
  sessionFailed: 'reauth',
  signedOut: 'reauth',
  otherUser: 'reauth',
  userTypeDenied: 'stop',
  httpsRequired: 'stop',
  methodNotFound: 'degrade',
  recordDenied: 'skip',
  server: 'retry',
  unreachable: 'retry',
  timeout: 'retry',
  notJson: 'retry',
  other: 'stop',
};

export class BitrixError extends Error {
  readonly kind: BitrixErrorKind;
  /** The portal's `error` code, when it gave one. */
  readonly code: string | null;
  readonly status: number | null;
  /** For missingScope: the scope named by the portal, when it named one. */
  readonly scope: string | null;
  /** For timeLimit: when the portal says the method is usable again (epoch ms). */
  readonly retryAt: number | null;

  constructor(
    kind: BitrixErrorKind,
    message: string,
    extra: { code?: string | null; status?: number | null; scope?: string | null; retryAt?: number | null } = {},
  ) {
    super(message);
    this.name = 'BitrixError';
    this.kind = kind;
    this.code = extra.code ?? null;
    this.status = extra.status ?? null;
    this.scope = extra.scope ?? null;
    this.retryAt = extra.retryAt ?? null;
  }

  get action(): ErrorAction {
    return ERROR_ACTION[this.kind];
  }
}

/**
 * Classifies a portal error answer `{ error, error_description, extended_error? }`
 * by its exact code: case matters (`ACCESS_DENIED` is the plan's refusal of
 * webhooks, `access_denied` the session's "not signed in").
 */
export function classifyErrorCode(
  code: string,
  description: string,
  status: number | null,
  extended: string | null = null,
): BitrixErrorKind {
  switch (code) {
    case 'QUERY_LIMIT_EXCEEDED':
      return 'rateLimit';
    case 'OPERATION_TIME_LIMIT':
      return 'timeLimit';
    case 'NO_AUTH_FOUND':
    case 'INVALID_CREDENTIALS':
    case 'WRONG_AUTH_TYPE':
      return 'badCredentials';
    case 'insufficient_scope':
      return 'missingScope';
    case 'expired_token':
    case 'invalid_token':
    case 'authorization_error':
      return 'authExpired';
    case 'ACCESS_DENIED':
      // The rest module's plan check says REST, the plan or the subscription; the crm module's controllers
      // (crm.item.*, crm.activity.binding.*) use the same code to refuse one record or type to this user.
      return /\brest\b|plan|subscription|tarif/i.test(description) ? 'restUnavailable' : 'recordDenied';
    case 'PAYMENT_REQUIRED':
      return 'subscriptionEnded';
    case 'session_failed':
      return 'sessionFailed';
    case 'access_denied':
      if (extended === 'user_not_authorized' || /not authori[sz]ed/i.test(description)) return 'signedOut';
      if (/type of user/i.test(description)) return 'userTypeDenied';
      return 'other';
    case 'INVALID_REQUEST':
      return /https/i.test(description) ? 'httpsRequired' : 'other';
    case 'NOT_FOUND':
      // The crm module's controllers: the record is gone (crm.activity.binding.list of a deleted activity).
      return 'recordDenied';
    case 'ERROR_METHOD_NOT_FOUND':
      return 'methodNotFound';
    case 'INTERNAL_SERVER_ERROR':
    case 'ERROR_UNEXPECTED_ANSWER':
      return 'server';
    case '':
      if (/access denied|not found/i.test(description)) return 'recordDenied';
      return status !== null && status >= 500 ? 'server' : 'other';
    default:
      return status !== null && status >= 500 ? 'server' : 'other';
  }
}

/** Which scope an `insufficient_scope` answer names, if any ("... scope: crm"). */
export function scopeFromDescription(description: string): string | null {
  const match = /\b(crm|user(?:_brief|_basic)?|department)\b/i.exec(description);
  return match ? match[1].toLowerCase() : null;
}
