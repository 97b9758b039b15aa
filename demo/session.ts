// The demo portal's browser login: sessions in a PHPSESSID cookie, each with
// its own `sessid`, remember-me cookies that open a new session by themselves,
// and REST with session authorization as docs/bitrix24-rest.md ("Session
// authorization") describes it: what the portal's own pages use, and what the
// extension's login mode uses.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RestError } from './legacy.ts';
import { type ParamObject, parsePhpQuery } from './params.ts';
import { signInPage } from './session-page.ts';
import type { DemoStore, DemoUser } from './store.ts';

/** Bitrix24 runs on PHP: its session cookie has PHP's name. */
export const SESSION_COOKIE = 'PHPSESSID';
/** Remember me: the login, and a token the portal keeps for that user. */
export const REMEMBER_LOGIN_COOKIE = 'BITRIX_SM_UIDL';
export const REMEMBER_HASH_COOKIE = 'BITRIX_SM_UIDH';
const REMEMBER_MAX_AGE = 365 * 24 * 3600;
export const DEFAULT_BACKURL = '/crm/deal/list/';

interface Session {
  id: string;
  /** 32 lower-case hex: what pages carry in BX.message and REST calls send as `sessid`. */
  sessid: string;
  /** null: an anonymous session (a visitor, or a REST call without a login). */
  userId: number | null;
}

/** A whole-request REST error with fields beyond `error`/`error_description`, and cookies to set with it. */
export class SessionRestError extends RestError {
  constructor(
    status: number,
    code: string,
    description: string,
    readonly extra: Record<string, string> = {},
    readonly setCookies: string[] = [],
  ) {
    super(status, code, description);
  }
}

/** What a page request answers: a redirect or a page, with cookies. */
export interface AuthAnswer {
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string | string[]>;
}

export interface SessionOptions {
  store: DemoStore;
  /** Called when a session REST call marks its user active ("online"). */
  markOnline(userId: number): void;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    // The first value wins, as in PHP's $_COOKIE for duplicate names on one path.
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/** Only same-origin paths, so the sign-in page cannot be made to send people elsewhere. */
export function safeBackurl(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return DEFAULT_BACKURL;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refuses control characters (header injection)
  if (/[\u0000-\u001f\u007f]/.test(raw)) return DEFAULT_BACKURL;
  return raw;
}

const sessionCookie = (id: string) => `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
const longCookie = (name: string, value: string) => `${name}=${value}; Path=/; Max-Age=${REMEMBER_MAX_AGE}; HttpOnly; SameSite=Lax`;
const clearCookie = (name: string) => `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;
const CLEAR_REMEMBER = [clearCookie(REMEMBER_LOGIN_COOKIE), clearCookie(REMEMBER_HASH_COOKIE)];
const CLEAR_ALL = [clearCookie(SESSION_COOKIE), ...CLEAR_REMEMBER];

/** A tiny BX stub (the demo pages have no core.js) and the session's sessid, where Bitrix24's pages keep it. */
function bxScript(sessid: string): string {
  return `<script>window.BX=window.BX||{_m:{},message(o){if(typeof o==='string')return this._m[o];Object.assign(this._m,o);return true}};BX.message(${JSON.stringify({ bitrix_sessid: sessid })});</script>`;
}

function redirect(location: string, setCookies: string[] = []): AuthAnswer {
  const headers: Record<string, string | string[]> = { Location: location };
  if (setCookies.length) headers['Set-Cookie'] = setCookies;
  return { status: 302, body: '', contentType: 'text/plain; charset=utf-8', headers };
}

export function createSessions(options: SessionOptions) {
  const { store } = options;
  const sessions = new Map<string, Session>();
  /** Remember-me token (UIDH) → user. Forgotten on logout and on a final expiry. */
  const rememberTokens = new Map<string, number>();

  const userById = (id: number): DemoUser | undefined => store.users.get(id) ?? store.externalUsers.get(id);
  /** Who may sign in: active employees and accounts of external types. */
  const canSignIn = (id: number) => !!userById(id)?.active;

  const open = (userId: number | null): Session => {
    const s: Session = { id: hex(16), sessid: hex(16), userId };
    sessions.set(s.id, s);
    return s;
  };

  const liveSession = (cookies: Map<string, string>): Session | null => sessions.get(cookies.get(SESSION_COOKIE) ?? '') ?? null;

  /** The user a valid remember-me cookie pair names, or null. */
  const rememberedUser = (cookies: Map<string, string>): number | null => {
    const token = cookies.get(REMEMBER_HASH_COOKIE);
    const login = cookies.get(REMEMBER_LOGIN_COOKIE);
    if (!token || !login) return null;
    const userId = rememberTokens.get(token);
    if (userId === undefined || String(userId) !== login || !canSignIn(userId)) return null;
    return userId;
  };

  /**
   * The request's signed-in session: the live one, or a new one opened from
   * remember-me cookies (Set-Cookie to send with the answer). Anonymous
   * sessions do not count.
   */
  const signedIn = (cookies: Map<string, string>): { session: Session | null; setCookies: string[] } => {
    const live = liveSession(cookies);
    if (live?.userId != null) return { session: live, setCookies: [] };
    const remembered = rememberedUser(cookies);
    if (remembered === null) return { session: null, setCookies: [] };
    if (live) sessions.delete(live.id);
    const fresh = open(remembered);
    return { session: fresh, setCookies: [sessionCookie(fresh.id)] };
  };

  /** Ends the request's session and its remember-me token: cookies to clear. */
  const signOut = (cookies: Map<string, string>): string[] => {
    const live = liveSession(cookies);
    if (live) sessions.delete(live.id);
    const token = cookies.get(REMEMBER_HASH_COOKIE);
    if (token) rememberTokens.delete(token);
    return CLEAR_ALL;
  };

  /** A new session for this user, replacing the request's (new PHPSESSID, new sessid). */
  const signInAs = (cookies: Map<string, string>, userId: number, remember: boolean): { session: Session; setCookies: string[] } => {
    const old = liveSession(cookies);
    if (old) sessions.delete(old.id);
    // The previous remember-me token must not log anyone back in after this session ends.
    const oldToken = cookies.get(REMEMBER_HASH_COOKIE);
    if (oldToken) rememberTokens.delete(oldToken);
    const session = open(userId);
    const setCookies = [sessionCookie(session.id)];
    if (remember) {
      const token = hex(16);
      rememberTokens.set(token, userId);
      setCookies.push(longCookie(REMEMBER_LOGIN_COOKIE, String(userId)), longCookie(REMEMBER_HASH_COOKIE, token));
    } else {
      setCookies.push(...CLEAR_REMEMBER);
    }
    return { session, setCookies };
  };

  const readForm = async (req: IncomingMessage): Promise<ParamObject> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return parsePhpQuery(Buffer.concat(chunks).toString('utf8'));
  };

  const authPage = (req: IncomingMessage, url: URL, status = 200, problem = ''): AuthAnswer => {
    const cookies = parseCookies(req.headers.cookie);
    const { session, setCookies } = signedIn(cookies);
    const current = session?.userId != null ? (userById(session.userId) ?? null) : null;
    const employees = [...store.users.values()].filter((u) => u.active);
    const others = [...store.externalUsers.values()].filter((u) => u.active);
    const body = signInPage({ employees, others, backurl: safeBackurl(url.searchParams.get('backurl') ?? undefined), current, sessid: session?.sessid ?? null, problem });
    const headers: Record<string, string | string[]> = {};
    if (setCookies.length) headers['Set-Cookie'] = setCookies;
    return { status, body, contentType: 'text/html; charset=utf-8', headers };
  };

  return {
    /**
     * Sign-in and sign-out pages, `/`, and the `?login=N` shortcut on any
     * page. Null when the request is for someone else.
     */
    async handlePage(req: IncomingMessage, url: URL): Promise<AuthAnswer | null> {
      const path = url.pathname;
      const cookies = parseCookies(req.headers.cookie);
      if (path === '/auth' || path === '/auth/') {
        if (req.method === 'POST') {
          const form = await readForm(req);
          const userId = Number(form.user_id);
          if (!Number.isInteger(userId) || !canSignIn(userId)) return authPage(req, url, 400, 'No such account can sign in.');
          const { setCookies } = signInAs(cookies, userId, form.remember === 'Y');
          return redirect(safeBackurl(form.backurl), setCookies);
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') return null;
        if (url.searchParams.get('logout') === 'yes') return redirect('/auth/', signOut(cookies));
        return authPage(req, url);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return null;
      if (path === '/') {
        const { session, setCookies } = signedIn(cookies);
        return session ? redirect(DEFAULT_BACKURL, setCookies) : redirect(`/auth/?backurl=${encodeURIComponent(DEFAULT_BACKURL)}`);
      }
      const login = url.searchParams.get('login');
      if (login !== null && /^\d*$/.test(login) && !path.startsWith('/rest') && !path.startsWith('/demo/')) {
        // The old shortcut: a real session for user N (no remember-me); 0 or empty signs out.
        const clean = new URL(url.href);
        clean.searchParams.delete('login');
        const userId = Number(login);
        if (userId > 0 && !canSignIn(userId)) return redirect(clean.pathname + clean.search);
        const setCookies = userId > 0 ? signInAs(cookies, userId, false).setCookies : signOut(cookies);
        return redirect(clean.pathname + clean.search, setCookies);
      }
      return null;
    },

    /**
     * Adds the session's sessid to an HTML page (and opens a session from
     * remember-me cookies, as any page hit of a real portal does).
     */
    decoratePage(req: IncomingMessage, page: { status: number; body: string; contentType: string; headers?: Record<string, string | string[]> }) {
      if (!page.contentType.startsWith('text/html')) return page;
      const headers = { ...(page.headers ?? {}) };
      const already = [headers['Set-Cookie'] ?? []].flat();
      // A session this answer opens already (the sign-in page renews from remember-me itself) is the one to show.
      const opened = already.map((c) => new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(c)?.[1]).find(Boolean);
      let live = opened ? (sessions.get(opened) ?? null) : null;
      if (!live) {
        const cookies = parseCookies(req.headers.cookie);
        const { session, setCookies } = signedIn(cookies);
        if (setCookies.length) headers['Set-Cookie'] = [...already, ...setCookies];
        live = session ?? liveSession(cookies);
      }
      if (!live) return { ...page, headers };
      const body = page.body.replace(/<head>(\s*<meta charset="utf-8">)?/i, (m) => `${m}${bxScript(live.sessid)}`);
      return { ...page, body, headers };
    },

    /** The user of the request's live session (webhook calls compare it with the webhook's owner). */
    userOf(req: IncomingMessage): number | null {
      return liveSession(parseCookies(req.headers.cookie))?.userId ?? null;
    },

    /**
     * Session authorization of a `/rest/METHOD` request. Returns the user the
     * call runs as, or throws a {@link RestError} (401s carry what Bitrix24's
     * answers carry). `rawBody` is read already; only a form body may hold
     * `sessid`, since the server decides how to start the session before it
     * reads a JSON body.
     */
    authorizeRest(req: IncomingMessage, url: URL, rawBody: string): { userId: number } {
      const query = parsePhpQuery(url.search.slice(1));
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      const isJson = type.includes('application/json') || /^\s*[{[]/.test(rawBody);
      const form = rawBody.trim() && !isJson ? parsePhpQuery(rawBody) : {};
      const has = (k: string) => k in query || k in form;
      const value = (k: string) => (k in query ? query[k] : form[k]);
      // Other authorization handlers come first and take the request: OAuth for `auth`, webhooks (application passwords) for `aplogin`/`ap`.
      const auth = value('auth');
      if (typeof auth === 'string' && auth !== '') throw new RestError(401, 'invalid_token', 'Unable to get application by token');
      if (has('aplogin') || has('ap')) throw new RestError(401, 'INVALID_CREDENTIALS', 'Invalid request credentials');
      if (!has('sessid')) throw new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data');
      const sent = value('sessid');

      const cookies = parseCookies(req.headers.cookie);
      const { session, setCookies } = signedIn(cookies);
      if (!session || session.userId === null) {
        // Not signed in: PHP still starts an anonymous session, whose sessid comes back every time for the same cookie.
        let anonymous = liveSession(cookies);
        const cookie: string[] = [];
        if (!anonymous) {
          anonymous = open(null);
          cookie.push(sessionCookie(anonymous.id));
        }
        throw new SessionRestError(401, 'access_denied', 'User not authorized', { sessid: anonymous.sessid, extended_error: 'user_not_authorized' }, cookie);
      }
      const userId = session.userId;
      if (store.externalUsers.has(userId)) {
        throw new SessionRestError(401, 'access_denied', 'Access denied for this type of user', {}, setCookies);
      }
      // Any hit of a signed-in browser counts as activity, the refused ones too, unless the query says not to.
      if (url.searchParams.get('BX_LAST_ACTIVITY') !== 'N') options.markOnline(userId);
      if (sent !== session.sessid) {
        throw new SessionRestError(401, 'session_failed', 'Sessid check failed', { sessid: session.sessid }, setCookies);
      }
      return { userId };
    },

    /**
     * Ends every live session. Renewable: remember-me cookies open a new one
     * on the next request; not renewable: the tokens are forgotten too.
     */
    expire(o: { renewable: boolean }): void {
      sessions.clear();
      if (!o.renewable) rememberTokens.clear();
    },

    /** Signs a user in without a browser: the Cookie header to send, and the session's sessid. */
    signIn(userId: number, o: { remember?: boolean } = {}): { cookie: string; sessid: string } {
      if (!canSignIn(userId)) throw new Error(`user ${userId} cannot sign in`);
      const { session, setCookies } = signInAs(new Map(), userId, !!o.remember);
      const cookie = setCookies
        .map((c) => c.split(';')[0])
        .filter((c) => !c.endsWith('='))
        .join('; ');
      return { cookie, sessid: session.sessid };
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
