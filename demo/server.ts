// The demo portal: a Bitrix24-compatible REST server with CRM pages, on
// loopback, using only node:http. See docs/bitrix24-rest.md for what it
// reproduces and why.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DEMO_SECRET, DEMO_USER_ID, HEAD_SECRET, HEAD_USER_ID, NO_CRM_SCOPE_SECRET, REP_SECRET, REP_USER_ID } from './config.ts';
import { formatDateTime, type PortalClock, parseOffset } from './dates.ts';
import { type ListAnswer, RestError } from './legacy.ts';
import { costOf, LeakyBucket, OperatingBudget, type OperatingLimitOptions, type RateLimitOptions } from './limits.ts';
import { runBatch as runBatchCommands } from './batch.ts';
import { BinderError } from './binder.ts';
import { ALL_SCOPES, METHODS, type MethodContext, type Params } from './methods.ts';
import { handlePage } from './pages.ts';
import { parsePhpQuery } from './params.ts';
import { createRandom, generateStore } from './seed.ts';
import { createSessions, SessionRestError } from './session.ts';
import type { DemoStore } from './store.ts';

export type { DemoActivity, DemoDeal, DemoStore, DemoUser, ItemRef } from './store.ts';
export { type ListAnswer, RestError } from './legacy.ts';
/** Mutate activities' bindings through these so the BINDINGS index stays in step. */
export { bindActivity, insertActivity, removeActivity, unbindActivity } from './store.ts';
export type { OperatingLimitOptions, RateLimitOptions } from './limits.ts';
export { REMEMBER_HASH_COOKIE, REMEMBER_LOGIN_COOKIE, SESSION_COOKIE } from './session.ts';

export interface PortalOptions {
  /** 0 = any free port (default). */
  port?: number;
  host?: string;
  seed?: number;
  /** Open activities in the seed (default 300). */
  openActivities?: number;
  /** CRM items in the seed (default openActivities / 5, at least 150). */
  items?: number;
  /** Employees in the seed (default 8; 200 from 10,000 open activities). */
  users?: number;
  /** The portal's clock; seed dates are relative to it. */
  now?: () => number;
  /** Offset every date-time carries (default `+03:00`). */
  portalOffset?: string;
  rateLimit?: Partial<RateLimitOptions>;
  operatingLimit?: Partial<OperatingLimitOptions>;
  /** No log lines. */
  quiet?: boolean;
  /** One log line per REST request (status, method, milliseconds); ignored when quiet. */
  logRequests?: boolean;
  /** More incoming webhooks (all scopes), each running with its owner's CRM rights: one per user of a simulated team (bench/team.ts). */
  webhooks?: { userId: number; secret: string }[];
}

/** Methods that change the CRM (for the denyWrites fault). */
const WRITE_METHOD = /\.(add|update|delete|updatedeadline)$/i;

export interface Faults {
  /** Overrides the portal's rate limit while set. */
  rateLimit?: Partial<RateLimitOptions>;
  /** Probability (0..1) of 503 QUERY_LIMIT_EXCEEDED. */
  p503?: number;
  /** Probability of 500 INTERNAL_SERVER_ERROR. */
  p500?: number;
  /** Probability of 429 OPERATION_TIME_LIMIT (a method's server-time budget used up). */
  p429?: number;
  /** Probability of a 200 HTML maintenance page. */
  pHtml?: number;
  /** Probability of closing the socket without an answer. */
  pDrop?: number;
  /** Delay added to every REST answer. */
  latencyMs?: number;
  /** A long delay before every REST answer (a hanging request). */
  stallMs?: number;
  /** Stop listening for that long (connections refused), then listen again on the same port. */
  downForMs?: number;
  /** The main webhook answers INVALID_CREDENTIALS. */
  revoked?: boolean;
  /** The main webhook lacks the crm scope. */
  noCrmScope?: boolean;
  /** Writes (add, update, delete, binding and to-do changes) answer "Access denied.": the webhook's creator may not edit. */
  denyWrites?: boolean;
  /** Webhook calls answer 401 ACCESS_DENIED "REST is available only by subscription." (session calls still work). */
  restUnavailable?: boolean;
  /** Webhook calls answer 401 PAYMENT_REQUIRED: the Market subscription ended (session calls still work). */
  paymentRequired?: boolean;
}

/** How many requests {@link PortalStats.log} keeps. */
export const REQUEST_LOG_SIZE = 5000;

export interface PortalStats {
  /** REST HTTP requests received (a batch is one). */
  requests: number;
  /** Per HTTP request, by method name in lower case (`batch` once per batch). */
  byMethod: Record<string, number>;
  /** Every executed method, batch commands included. */
  commands: Record<string, number>;
  /** Bytes of REST response bodies. */
  responseBytes: number;
  /** Per user id: session REST calls that marked the user online (no `BX_LAST_ACTIVITY=N` in the query). */
  markedOnline: Record<string, number>;
  /** Whole-request REST errors by `error` code (batch commands' errors are not counted). */
  errors: Record<string, number>;
  /** The last REST requests' arrival (wall-clock ms, `Date.now()`) and method, oldest first; at most {@link REQUEST_LOG_SIZE}. */
  log: { at: number; method: string }[];
  reset(): void;
}

export interface DemoPortal {
  origin: string;
  port: number;
  webhookUrl: string;
  close(): Promise<void>;
  faults: { set(partial: Faults): void; clear(): void; get(): Faults };
  stats: PortalStats;
  store: DemoStore;
  clock: PortalClock;
  /**
   * Runs one REST method in-process as the main webhook (all scopes): no HTTP,
   * no faults, no limits, not counted in stats. For test harnesses that change
   * the portal while it is failing on purpose. Throws {@link RestError}.
   */
  call(method: string, params?: Record<string, unknown>): ListAnswer;
  /**
   * One request of another integration from the same office, in-process: it
   * takes its turn in the portal's request bucket like an HTTP request and
   * does nothing else. False: it was answered 503 QUERY_LIMIT_EXCEEDED. For
   * bench/team.ts's neighbour, which calls once a second all day.
   */
  takeRequest(): boolean;
  /** The browser login (demo/session.ts). */
  sessions: {
    /** Ends every live session; not renewable: remember-me tokens are forgotten too. */
    expire(o: { renewable: boolean }): void;
    /** Signs a user in without a browser: the Cookie header value to send, and the session's sessid. */
    signIn(userId: number, o?: { remember?: boolean }): { cookie: string; sessid: string };
  };
}

interface Webhook {
  userId: number;
  secret: string;
  scopes: readonly string[];
  /** A call with session authorization: no per-method operating-time limit. */
  session?: boolean;
}

interface Answer {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string | string[]>;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'origin, content-type, accept',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

const MAINTENANCE_PAGE =
  '<!DOCTYPE html><html><head><title>Technical maintenance</title></head><body><h1>The portal is under maintenance</h1><p>Please try again in a few minutes.</p></body></html>';

function json(status: number, data: unknown): Answer {
  return { status, body: JSON.stringify(data), contentType: 'application/json; charset=utf-8' };
}

function errorAnswer(e: RestError): Answer {
  if (e instanceof SessionRestError) {
    const a = json(e.status, { error: e.code, error_description: e.description, ...e.extra });
    return e.setCookies.length ? { ...a, headers: { 'Set-Cookie': e.setCookies } } : a;
  }
  // A controller's binder failure carries the number 100 (demo/binder.ts).
  return json(e.status, { error: e instanceof BinderError ? e.wireCode : e.code, error_description: e.description });
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): Params {
  if (!raw.trim()) return {};
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/json') || /^\s*[{[]/.test(raw)) {
    try {
      const v = JSON.parse(raw);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Params) : {};
    } catch {
      throw new RestError(400, 'INVALID_REQUEST', 'Request body is not valid JSON');
    }
  }
  return parsePhpQuery(raw) as Params;
}

function normalizeMethod(raw: string): string {
  return raw.toLowerCase().replace(/\.json$/, '').replace(/\/+$/, '');
}

export async function startPortal(options: PortalOptions = {}): Promise<DemoPortal> {
  const host = options.host ?? '127.0.0.1';
  const offset = options.portalOffset ?? '+03:00';
  const nowFn = options.now ?? Date.now;
  const clock: PortalClock = { now: nowFn, offset, offsetMinutes: parseOffset(offset) };
  const seed = options.seed ?? 1;
  const store = generateStore({ seed, now: nowFn(), openActivities: options.openActivities ?? 300, items: options.items, users: options.users });
  const log = options.quiet ? () => {} : (msg: string) => console.log(`[demo portal] ${msg}`);

  const baseRate: RateLimitOptions = { enabled: true, drainPerSecond: 2, capacity: 50, ...options.rateLimit };
  const operatingLimit: OperatingLimitOptions = { enabled: true, limitSeconds: 480, ...options.operatingLimit };
  const bucket = new LeakyBucket();
  const budget = new OperatingBudget();
  const faultRandom = createRandom(seed * 7919 + 17);
  let faults: Faults = {};
  const chance = (p: number | undefined) => !!p && p > 0 && faultRandom() < p;

  const stats: PortalStats = {
    requests: 0,
    byMethod: {},
    commands: {},
    responseBytes: 0,
    markedOnline: {},
    errors: {},
    log: [],
    reset() {
      stats.log = [];
      stats.requests = 0;
      stats.byMethod = {};
      stats.commands = {};
      stats.responseBytes = 0;
      stats.markedOnline = {};
      stats.errors = {};
    },
  };
  const sessions = createSessions({
    store,
    markOnline: (userId) => {
      stats.markedOnline[userId] = (stats.markedOnline[userId] ?? 0) + 1;
    },
  });

  const webhooks = (): Webhook[] => [
    { userId: DEMO_USER_ID, secret: DEMO_SECRET, scopes: faults.noCrmScope ? ALL_SCOPES.filter((s) => s !== 'crm') : ALL_SCOPES },
    { userId: DEMO_USER_ID, secret: NO_CRM_SCOPE_SECRET, scopes: ALL_SCOPES.filter((s) => s !== 'crm') },
    // Webhooks of a rep and a department head: they run with that user's CRM rights (demo/rights.ts).
    { userId: REP_USER_ID, secret: REP_SECRET, scopes: ALL_SCOPES },
    { userId: HEAD_USER_ID, secret: HEAD_SECRET, scopes: ALL_SCOPES },
    ...(options.webhooks ?? []).map((h) => ({ ...h, scopes: ALL_SCOPES })),
  ];

  const timeBlock = (startedAt: number, startedPerf: number, budgetKey: string | null) => {
    const processing = (performance.now() - startedPerf) / 1000;
    const start = startedAt / 1000;
    const finishMs = startedAt + (performance.now() - startedPerf);
    const t: Record<string, unknown> = {
      start,
      finish: finishMs / 1000,
      duration: processing,
      processing,
      date_start: formatDateTime(startedAt, clock),
      date_finish: formatDateTime(finishMs, clock),
    };
    if (budgetKey !== null) {
      t.operating = Math.round(budget.operating(budgetKey) * 1e6) / 1e6;
      t.operating_reset_at = Math.floor(budget.resetAt(budgetKey));
    }
    return t;
  };

  /** Runs one method (also a batch command): scope, time budget, handler. */
  const runMethod = (method: string, params: Params, hook: Webhook) => {
    const info = METHODS[method];
    if (!info) throw new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
    if (info.scope && !hook.scopes.includes(info.scope)) {
      throw new RestError(401, 'insufficient_scope', 'The request requires higher privileges than provided by the webhook token');
    }
    // Bitrix24 keeps the time budget per webhook and method; session calls have none.
    const budgetKey = `${hook.secret}:${method}`;
    if (!hook.session && budget.blocked(budgetKey, operatingLimit)) {
      throw new RestError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.');
    }
    stats.commands[method] = (stats.commands[method] ?? 0) + 1;
    if (faults.denyWrites && WRITE_METHOD.test(method)) throw new RestError(400, '', 'Access denied.');
    const ctx: MethodContext = { store, clock, userId: hook.userId, scopes: hook.scopes };
    const t0 = performance.now();
    try {
      return info.run(params, ctx);
    } finally {
      if (!hook.session) budget.record(budgetKey, costOf(operatingLimit, method, (performance.now() - t0) / 1000));
    }
  };

  // References, halt and the 50-command limit as the rest module has them: demo/batch.ts.
  const runBatch = (params: Params, hook: Webhook) =>
    runBatchCommands(params, { run: (method, p) => runMethod(method, p, hook), time: (at, t0) => timeBlock(at, t0, null), now: clock.now });

  const handleRest = async (req: IncomingMessage, url: URL, res: ServerResponse): Promise<Answer | null> => {
    const startedAt = clock.now();
    const t0 = performance.now();
    stats.requests++;
    const parts = url.pathname.replace(/^\/rest\/?/, '').split('/').filter(Boolean);
    const methodName = normalizeMethod(parts.length >= 3 ? parts.slice(2).join('.') : parts.length === 1 ? parts[0] : '');
    stats.byMethod[methodName || '(none)'] = (stats.byMethod[methodName || '(none)'] ?? 0) + 1;
    if (stats.log.length >= REQUEST_LOG_SIZE) stats.log.splice(0, stats.log.length - REQUEST_LOG_SIZE + 1);
    stats.log.push({ at: Date.now(), method: methodName || '(none)' });

    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (faults.stallMs) await sleep(faults.stallMs);
    if (chance(faults.pDrop)) {
      res.socket?.destroy();
      return null;
    }
    if (chance(faults.pHtml)) return { status: 200, body: MAINTENANCE_PAGE, contentType: 'text/html; charset=utf-8' };
    if (chance(faults.p503)) return json(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
    if (chance(faults.p429)) return json(429, { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' });
    if (chance(faults.p500)) return json(500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' });

    try {
      if (!isLoopback(req.socket.remoteAddress) && (req.headers['x-forwarded-proto'] ?? 'http') !== 'https') {
        throw new RestError(400, 'INVALID_REQUEST', 'Https required.');
      }
      const rawBody = req.method === 'POST' ? await readBody(req) : '';
      let hook: Webhook;
      if (parts.length === 1) {
        // /rest/METHOD.json?sessid=…: session authorization, the browser's login (demo/session.ts).
        const { userId } = sessions.authorizeRest(req, url, rawBody);
        hook = { userId, secret: `session:${userId}`, scopes: ALL_SCOPES, session: true };
      } else {
        if (parts.length < 3) throw new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data');
        const userId = Number(parts[0]);
        const secret = parts[1];
        const found = webhooks().find((h) => h.userId === userId && h.secret === secret);
        if (!found || (faults.revoked && found.secret === DEMO_SECRET)) {
          throw new RestError(401, 'INVALID_CREDENTIALS', 'Invalid request credentials');
        }
        hook = found;
        // Plan and subscription refusals are for webhooks (and OAuth): the session has no plan check.
        if (faults.restUnavailable) throw new RestError(401, 'ACCESS_DENIED', 'REST is available only by subscription.');
        if (faults.paymentRequired) throw new RestError(401, 'PAYMENT_REQUIRED', 'Subscription has expired.');
      }
      const rate = { ...baseRate, ...faults.rateLimit };
      // On the portal's clock, so a simulated day (bench/team.ts) drains the bucket in simulated time.
      if (rate.enabled && !bucket.take(rate, clock.now())) throw new RestError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');

      let params: Params = parsePhpQuery(url.search.slice(1)) as Params;
      if (req.method === 'POST') params = { ...params, ...parseBody(rawBody, req.headers['content-type']) };
      // A top-level `auth`/`token` is read as an OAuth token, whatever the path says.
      if ((typeof params.auth === 'string' && params.auth !== '') || (typeof params.token === 'string' && params.token !== '')) {
        throw new RestError(401, 'invalid_token', 'Unable to get application by token');
      }
      // A portal session cookie of another user than the webhook's owner wins over the webhook.
      const sessionUser = hook.session ? null : sessions.userOf(req);
      if (sessionUser !== null && sessionUser !== hook.userId) {
        throw new RestError(401, 'authorization_error', 'Unable to authorize user');
      }

      if (methodName === 'batch') {
        const batchKey = `${hook.secret}:batch`;
        if (!hook.session && budget.blocked(batchKey, operatingLimit)) throw new RestError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.');
        const result = runBatch(params, hook);
        if (!hook.session) budget.record(batchKey, costOf(operatingLimit, 'batch', (performance.now() - t0) / 1000));
        return json(200, { result, time: timeBlock(startedAt, t0, hook.session ? null : batchKey) });
      }
      const answer = runMethod(methodName, params, hook);
      const body: Record<string, unknown> = { result: answer.result };
      if (answer.next !== undefined) body.next = answer.next;
      if (answer.total !== undefined) body.total = answer.total;
      body.time = timeBlock(startedAt, t0, hook.session ? null : `${hook.secret}:${methodName}`);
      return json(200, body);
    } catch (e) {
      if (e instanceof RestError) return errorAnswer(e);
      log(`internal error: ${(e as Error).stack ?? e}`);
      return json(500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' });
    }
  };

  const sockets = new Set<Socket>();
  let downTimer: NodeJS.Timeout | null = null;
  let closed = false;

  const goDown = (ms: number) => {
    if (downTimer) return;
    log(`down for ${ms} ms`);
    server.close();
    for (const s of sockets) s.destroy();
    downTimer = setTimeout(() => {
      downTimer = null;
      const { downForMs: _gone, ...rest } = faults;
      faults = rest;
      if (closed) return;
      server.listen(port, host, () => log('listening again'));
    }, ms);
  };

  const setFaults = (partial: Faults, graceMs = 0) => {
    faults = { ...faults, ...partial };
    const down = partial.downForMs;
    if (down && down > 0) {
      if (graceMs > 0) setTimeout(() => goDown(down), graceMs);
      else goDown(down);
    }
  };

  const handleDemo = async (req: IncomingMessage, url: URL): Promise<Answer | null> => {
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/demo/faults' && req.method === 'GET') return json(200, faults);
    if (path === '/demo/faults' && req.method === 'POST') {
      const body = parseBody(await readBody(req), 'application/json') as Faults;
      // A short grace period lets this answer leave before the portal goes down.
      setFaults(body, 20);
      return json(200, faults);
    }
    if (path === '/demo/faults/clear' && req.method === 'POST') {
      faults = {};
      return json(200, faults);
    }
    if (path === '/demo/stats' && req.method === 'GET') {
      const { reset: _r, ...rest } = stats;
      return json(200, rest);
    }
    if (path === '/demo/stats/reset' && req.method === 'POST') {
      stats.reset();
      return json(200, { ok: true });
    }
    if (path === '/demo/sessions/expire' && req.method === 'POST') {
      const body = parseBody(await readBody(req), 'application/json') as { renewable?: unknown };
      sessions.expire({ renewable: body.renewable === true });
      return json(200, { ok: true });
    }
    // The control panel acts as the signed-in user of the portal's own pages,
    // so no page ever holds the webhook's secret. No faults, limits or stats.
    const act = /^\/demo\/act\/([a-z0-9_.]+)$/i.exec(path);
    if (act && req.method === 'POST') {
      try {
        const params = parseBody(await readBody(req), 'application/json') as Record<string, unknown>;
        return json(200, callInProcess(act[1], params ?? {}));
      } catch (e) {
        if (e instanceof RestError) return errorAnswer(e);
        throw e;
      }
    }
    return null;
  };

  const callInProcess = (method: string, params: Record<string, unknown> = {}) => {
    const name = normalizeMethod(method);
    const info = METHODS[name];
    if (!info) throw new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
    return info.run(params, { store, clock, userId: DEMO_USER_ID, scopes: ALL_SCOPES });
  };

  const send = (res: ServerResponse, a: Answer, extra: Record<string, string | string[]> = {}) => {
    if (res.destroyed) return;
    res.writeHead(a.status, { ...CORS_HEADERS, 'Content-Type': a.contentType, 'Cache-Control': 'no-store', ...a.headers, ...extra });
    res.end(a.body);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...CORS_HEADERS, 'Access-Control-Max-Age': '600', 'Content-Length': '0' });
        res.end();
        return;
      }
      if (url.pathname.startsWith('/rest/') || url.pathname === '/rest') {
        const t0 = performance.now();
        const a = await handleRest(req, url, res);
        if (a) {
          stats.responseBytes += Buffer.byteLength(a.body);
          if (a.status !== 200 && a.contentType.startsWith('application/json')) {
            const code = String((JSON.parse(a.body) as { error?: unknown }).error ?? '');
            stats.errors[code] = (stats.errors[code] ?? 0) + 1;
          }
          send(res, a);
        }
        if (options.logRequests) {
          const code = a ? (a.contentType.startsWith('application/json') ? (/"error":"([^"]*)"/.exec(a.body.slice(0, 200))?.[1] ?? '') : 'html') : 'dropped';
          log(`${a?.status ?? '---'} ${url.pathname.split('/').slice(4).join('/') || url.pathname} ${code} ${Math.round(performance.now() - t0)} ms`);
        }
        return;
      }
      if (url.pathname.startsWith('/demo/')) {
        const a = await handleDemo(req, url);
        if (a) {
          send(res, a);
          return;
        }
      }
      // Sign-in, sign-out, `/` and `?login=N` first; every HTML page then carries the session's sessid.
      const page = (await sessions.handlePage(req, url)) ?? handlePage(req, url, { store, clock, actionPath: '/demo/act/' });
      if (page) {
        const shown = sessions.decoratePage(req, page);
        send(res, { status: shown.status, body: shown.body, contentType: shown.contentType }, shown.headers);
        return;
      }
      send(res, { status: 404, body: 'Not found', contentType: 'text/plain; charset=utf-8' });
    })().catch((e) => {
      log(`request failed: ${(e as Error).stack ?? e}`);
      if (!res.headersSent) send(res, json(500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' }));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  // A wildcard address listens everywhere; the webhook still points at loopback, the only place plain HTTP is accepted.
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;

  return {
    origin,
    port,
    webhookUrl: `${origin}/rest/${DEMO_USER_ID}/${DEMO_SECRET}/`,
    store,
    clock,
    stats,
    faults: {
      set: (partial: Faults) => setFaults(partial),
      clear: () => {
        faults = {};
      },
      get: () => ({ ...faults }),
    },
    call: callInProcess,
    takeRequest: () => {
      const rate = { ...baseRate, ...faults.rateLimit };
      return !rate.enabled || bucket.take(rate, clock.now());
    },
    sessions: { expire: sessions.expire, signIn: sessions.signIn },
    close: async () => {
      closed = true;
      if (downTimer) {
        clearTimeout(downTimer);
        downTimer = null;
      }
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
      });
    },
  };
}
