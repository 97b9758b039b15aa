// The REST client: one webhook, POST with JSON, `credentials: 'omit'`, a
// timeout per request, a client-side leaky bucket, errors classified by code
// and retried where retrying helps. Messages never carry the webhook secret.
import { BitrixError, classifyErrorCode, scopeFromDescription } from './errors';
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

/** Where the bucket state lives; the sync keeps it across worker restarts. */
export interface BucketStore {
  load(): Promise<BucketState> | BucketState;
  save(state: BucketState): Promise<void> | void;
}

export interface ClientOptions {
  webhook: Webhook;
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
  readonly webhook: Webhook;
  call<T = unknown>(method: string, params?: RestParams): Promise<RestAnswer<T>>;
  /** Milliseconds spent waiting for the portal's answers (request to last byte) since the client was made. */
  readonly waitedMs: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createClient(options: ClientOptions): BitrixClient {
  const {
    webhook,
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

  async function takeSlot(): Promise<void> {
    const { waitMs, next } = reserve(await bucketStore.load(), now(), bucket);
    await bucketStore.save(next);
    if (waitMs > 0) await sleep(waitMs);
  }

  let waitedMs = 0;

  async function once<T>(method: string, params: RestParams): Promise<RestAnswer<T>> {
    await takeSlot();
    const sent = performance.now();
    try {
      return await exchange<T>(method, params);
    } finally {
      waitedMs += performance.now() - sent;
    }
  }

  async function exchange<T>(method: string, params: RestParams): Promise<RestAnswer<T>> {
    let response: Response;
    try {
      response = await doFetch(`${webhook.base}${method}.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(params),
        credentials: 'omit',
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
    return readAnswer<T>(method, response.status, text, now);
  }

  async function call<T>(method: string, params: RestParams = {}): Promise<RestAnswer<T>> {
    let wait = backoffMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await once<T>(method, params);
      } catch (error) {
        if (!(error instanceof BitrixError)) throw error;
        if (error.kind === 'rateLimit') await bucketStore.save(markFull(now(), bucket));
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
    webhook,
    call,
    get waitedMs() {
      return waitedMs;
    },
  };
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
    const kind = classifyErrorCode(code, description, status);
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
