// The REST client: one portal, authorized by a webhook or by the browser's
// session (docs/bitrix24-rest.md, "Session authorization"), POST with JSON, a
// timeout per request, a client-side leaky bucket, errors classified by code
// and retried where retrying helps. Messages never carry the webhook secret
// or the session's sessid.
import { type PortalAuth, requestOf, webhookAuth } from './auth';
import { BitrixError, classifyErrorCode, scopeFromDescription } from './errors';
import { assertUser, checkedBatchResult, withIdentityCommand } from './identity';
import { type BucketConfig, type BucketState, EMPTY_BUCKET, STANDARD_BUCKET, markFull, reserve } from './limiter';
import type { Webhook } from './webhook';

/** The `time` block of a successful answer. */
export interface RestTime {
  start?: number;
  finish?: number;
  duration?: number;
  processing?: number;
  date_start?: string;
  date_finish?: string;
  operating?: number;
  operating_reset_at?: number;
}

export interface RestAnswer<T = unknown> {
  result: T;
  total?: number;
  next?: number;
  time?: RestTime;
}

export type RestParams = Record<string, unknown>;

/** Where the bucket state lives; the sync keeps it across worker restarts. Read once per client, saved on every change. */
export interface BucketStore {
  load(): Promise<BucketState> | BucketState;
  save(state: BucketState): Promise<void> | void;
}

export interface ClientOptions {
  /** How requests are authorized; `webhook` is the short form of `auth: webhookAuth(webhook)`. */
  auth?: PortalAuth;
  webhook?: Webhook;
  fetch?: typeof fetch;
  /** Per request; the portal itself gives up after 60 s. */
  timeoutMs?: number;
  /** Tries after the first one, for errors whose action is retry or wait (a timeout: one at most). */
  retries?: number;
  /** First backoff; each next one is 1.5 × longer (as the official SDK does). */
  backoffMs?: number;
  /** Longest single wait the client accepts before giving up instead. */
  maxWaitMs?: number;
  bucket?: BucketConfig;
  bucketStore?: BucketStore;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface BitrixClient {
  /** The portal: `https://example.bitrix24.com`. */
  readonly origin: string;
  readonly auth: PortalAuth;
  /**
   * Commands a caller may put into one batch: 50, or 49 with the browser's
   * session, whose batches carry the identity check as one more command.
   */
  readonly batchLimit: number;
  /** The text with every credential of this client hidden (logs, stored error messages). */
  redact(text: string): string;
  call<T = unknown>(method: string, params?: RestParams): Promise<RestAnswer<T>>;
  /** Milliseconds spent waiting for the portal's answers (request to last byte) since the client was made. */
  readonly waitedMs: number;
}

/** Commands one batch may carry. */
const BATCH_COMMANDS = 50;
/** How long a checked session is trusted for requests that cannot carry the check themselves. */
const IDENTITY_TRUST_MS = 60_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createClient(options: ClientOptions): BitrixClient {
  const auth: PortalAuth = options.auth ?? (options.webhook ? webhookAuth(options.webhook) : missingAuth());
  const {
    timeoutMs = 30_000,
    retries = 3,
    backoffMs = 1_000,
    maxWaitMs = 60_000,
    bucket = STANDARD_BUCKET,
    now = Date.now,
    sleep = defaultSleep,
  } = options;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let memoryBucket: BucketState = EMPTY_BUCKET;
  const bucketStore: BucketStore = options.bucketStore ?? {
    load: () => memoryBucket,
    save: (state) => {
      memoryBucket = state;
    },
  };

  /**
   * The bucket as this client last left it: the store is read once, for what an
   * earlier worker left; after that this client is its only writer while it
   * lives, so each request saves without reading it back.
   */
  let bucketState: BucketState | null = null;
  async function setBucket(state: BucketState): Promise<void> {
    bucketState = state;
    await bucketStore.save(state);
  }

  async function takeSlot(): Promise<void> {
    const { waitMs, next } = reserve(bucketState ?? (await bucketStore.load()), now(), bucket);
    await setBucket(next);
    if (waitMs > 0) await sleep(waitMs);
  }

  let waitedMs = 0;
  /** The last sessid this client used or learned (session auth). */
  let knownSessid = '';
  /** Every sessid this client has seen, for redaction. */
  const seenSessids = new Set<string>();
  const know = (sessid: string) => {
    if (!sessid) return;
    knownSessid = sessid;
    seenSessids.add(sessid);
  };

  async function once<T>(method: string, params: RestParams): Promise<RestAnswer<T>> {
    if (auth.kind === 'webhook') return sendCounted<T>(method, params, '');
    // Session auth: a stale or missing sessid is answered with the valid one; one more try with it.
    const sessid = await auth.sessid.load();
    know(sessid);
    try {
      return await sendCounted<T>(method, params, sessid);
    } catch (error) {
      if (!(error instanceof SessidRenewal)) throw error;
      know(error.sessid);
      await auth.sessid.save(error.sessid);
      try {
        return await sendCounted<T>(method, params, error.sessid);
      } catch (again) {
        if (!(again instanceof SessidRenewal)) throw again;
        know(again.sessid);
        await auth.sessid.save(again.sessid);
        throw new BitrixError('sessionFailed', `${method}: the portal did not accept the session twice in a row`, {
          code: 'session_failed',
          status: 401,
        });
      }
    }
  }

  async function sendCounted<T>(method: string, params: RestParams, sessid: string): Promise<RestAnswer<T>> {
    await takeSlot();
    const sent = performance.now();
    try {
      return await exchange<T>(method, params, sessid);
    } finally {
      waitedMs += performance.now() - sent;
    }
  }

  async function exchange<T>(method: string, params: RestParams, sessid: string): Promise<RestAnswer<T>> {
    const request = requestOf(auth, method, sessid);
    let response: Response;
    try {
      response = await doFetch(request.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(params),
        credentials: request.credentials,
        cache: 'no-store',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw timedOut
        ? new BitrixError('timeout', `${method}: no answer within ${Math.round(timeoutMs / 1000)} s`)
        : new BitrixError('unreachable', `${method}: the portal could not be reached`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new BitrixError('unreachable', `${method}: the connection broke during the answer`);
    }
    if (auth.kind === 'session') {
      const renewed = renewedSessid(response.status, text);
      if (renewed !== null) throw new SessidRenewal(renewed);
    }
    return readAnswer<T>(method, response.status, text, now);
  }

  /** The sessid with which the session's user was last found to be the connected one, and when. */
  let verified = { sessid: '', at: Number.NEGATIVE_INFINITY };

  async function call<T>(method: string, params: RestParams = {}): Promise<RestAnswer<T>> {
    if (auth.kind !== 'session' || auth.userId === null || method === 'user.current') return retrying<T>(method, params);
    const expected = auth.userId;
    const cmd = method === 'batch' ? withIdentityCommand(params.cmd) : null;
    // A batch with a free slot carries the check; a full one or a single call (a write) is preceded by
    // one, unless the same session was checked a moment ago.
    if (cmd && Object.keys(cmd).length <= BATCH_COMMANDS) {
      const answer = await retrying<T>('batch', { ...params, cmd });
      const result = checkedBatchResult(answer.result, expected) as T;
      verified = { sessid: knownSessid, at: now() };
      return { ...answer, result };
    }
    if (verified.sessid !== knownSessid || now() - verified.at > IDENTITY_TRUST_MS) {
      assertUser((await retrying<unknown>('user.current', {})).result, expected, method);
      verified = { sessid: knownSessid, at: now() };
    }
    return retrying<T>(method, params);
  }

  async function retrying<T>(method: string, params: RestParams): Promise<RestAnswer<T>> {
    let wait = backoffMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await once<T>(method, params);
      } catch (error) {
        if (!(error instanceof BitrixError)) throw error;
        if (error.kind === 'rateLimit') await setBucket(markFull(now(), bucket));
        const retriable = error.action === 'retry' || error.action === 'wait';
        // A portal that let one request hang for the whole timeout is retried once, not `retries` times:
        // each try costs a full timeout, and the sync's schedule tries again anyway.
        const tries = error.kind === 'timeout' ? Math.min(retries, 1) : retries;
        if (!retriable || attempt >= tries) throw error;
        const pause = error.retryAt !== null ? Math.max(wait, error.retryAt - now()) : wait;
        if (pause > maxWaitMs) throw error;
        await sleep(pause);
        wait = Math.round(wait * 1.5);
      }
    }
  }

  return {
    origin: auth.kind === 'webhook' ? auth.webhook.origin : auth.origin,
    auth,
    batchLimit: auth.kind === 'session' && auth.userId !== null ? BATCH_COMMANDS - 1 : BATCH_COMMANDS,
    redact(text: string) {
      const secrets = auth.kind === 'webhook' ? [auth.webhook.secret] : [...seenSessids];
      return secrets.reduce((out, secret) => (secret ? out.split(secret).join('***') : out), text);
    },
    call,
    get waitedMs() {
      return waitedMs;
    },
  };
}

function missingAuth(): never {
  throw new Error('createClient: no auth and no webhook');
}

/** A `session_failed` answer: the request is sent again with the sessid it carries. Never leaves the client. */
class SessidRenewal extends Error {
  constructor(readonly sessid: string) {
    super('session_failed');
  }
}

/** The valid sessid of a `session_failed` answer, or null for any other answer. */
export function renewedSessid(status: number, text: string): string | null {
  if (status !== 401 || !text.includes('session_failed')) return null;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return body.error === 'session_failed' && typeof body.sessid === 'string' && body.sessid !== '' ? body.sessid : null;
  } catch {
    return null;
  }
}

/** Turns an HTTP answer into a result or a classified error. */
export function readAnswer<T>(method: string, status: number, text: string, now: () => number): RestAnswer<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BitrixError(
      status >= 500 ? 'server' : 'notJson',
      `${method}: the portal answered with a page instead of data (HTTP ${status})`,
      { status },
    );
  }
  if (typeof body !== 'object' || body === null) {
    throw new BitrixError('notJson', `${method}: unexpected answer (HTTP ${status})`, { status });
  }
  const record = body as Record<string, unknown>;
  if ('error' in record) {
    const code = String(record.error ?? '');
    const description = typeof record.error_description === 'string' ? record.error_description : '';
    const extended = typeof record.extended_error === 'string' ? record.extended_error : null;
    const kind = classifyErrorCode(code, description, status, extended);
    const retryAt = kind === 'timeLimit' ? now() + 10_000 : null;
    return throwError(method, kind, code, description, status, retryAt);
  }
  if (!('result' in record)) {
    throw new BitrixError('notJson', `${method}: the answer holds no result (HTTP ${status})`, { status });
  }
  return record as unknown as RestAnswer<T>;
}

function throwError(
  method: string,
  kind: ReturnType<typeof classifyErrorCode>,
  code: string,
  description: string,
  status: number,
  retryAt: number | null,
): never {
  const scope = kind === 'missingScope' ? scopeFromDescription(description) : null;
  const words = description ? `${code || 'error'}: ${description}` : code || 'error';
  throw new BitrixError(kind, `${method}: ${words.slice(0, 300)}`, { code, status, scope, retryAt });
}
