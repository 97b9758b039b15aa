// The client with the browser's session (docs/bitrix24-rest.md, "Session authorization").
import { describe, expect, it } from 'vitest';
import { memorySessid } from './auth';
import { createClient } from './client';
import { BitrixError } from './errors';

type Reply = { status: number; body: unknown };

function scripted(replies: Reply[]) {
  const calls: { url: URL; init: RequestInit }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: new URL(String(input)), init: init ?? {} });
    const reply = replies.shift();
    if (!reply) throw new Error('no more replies');
    return new Response(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), { status: reply.status });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const ok = (result: unknown): Reply => ({ status: 200, body: { result, time: {} } });
const sessionFailed = (sessid: string): Reply => ({
  status: 401,
  body: { error: 'session_failed', error_description: 'Sessid check failed', sessid },
});
const signedOut: Reply = {
  status: 401,
  body: { error: 'access_denied', error_description: 'User not authorized', sessid: 'anon', extended_error: 'user_not_authorized' },
};
const SID = 'a'.repeat(32);
const NEW_SID = 'b'.repeat(32);
const origin = 'https://acme.bitrix24.com';

async function failure(promise: Promise<unknown>): Promise<BitrixError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BitrixError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

function sessionClient(replies: Reply[], options: { sessid?: string; userId?: number | null; now?: () => number } = {}) {
  const { fetch, calls } = scripted(replies);
  const store = memorySessid(options.sessid ?? '');
  const client = createClient({
    auth: { kind: 'session', origin, sessid: store, userId: options.userId ?? null },
    fetch,
    sleep: async () => {},
    now: options.now ?? (() => 0),
  });
  return { client, calls, store };
}

describe('session authorization', () => {
  it('sends the portal cookies, sessid and BX_LAST_ACTIVITY=N in the query, JSON in the body', async () => {
    const { client, calls } = sessionClient([ok({ ID: '1' })], { sessid: SID });
    await client.call('user.current', { a: 1 });
    const { url, init } = calls[0];
    expect(url.origin + url.pathname).toBe(`${origin}/rest/user.current.json`);
    expect(url.searchParams.get('sessid')).toBe(SID);
    expect(url.searchParams.get('BX_LAST_ACTIVITY')).toBe('N');
    expect(init.credentials).toBe('include');
    expect(init.body).toBe('{"a":1}');
    expect(url.searchParams.has('auth')).toBe(false);
  });

  it('learns the sessid from session_failed and retries exactly once with it', async () => {
    const { client, calls, store } = sessionClient([sessionFailed(SID), ok({ ID: '1' })]);
    const answer = await client.call<{ ID: string }>('user.current');
    expect(answer.result.ID).toBe('1');
    expect(calls.map((c) => c.url.searchParams.get('sessid'))).toEqual(['', SID]);
    expect(store.load()).toBe(SID);
  });

  it('gives up after a second session_failed in a row (no loop)', async () => {
    const { client, calls } = sessionClient([sessionFailed(SID), sessionFailed(NEW_SID), ok(true)]);
    const error = await failure(client.call('user.current'));
    expect(error.kind).toBe('sessionFailed');
    expect(error.action).toBe('reauth');
    expect(calls).toHaveLength(2);
  });

  it('a signed-out session is not retried: the user must sign in', async () => {
    const { client, calls } = sessionClient([signedOut, ok(true)], { sessid: SID });
    const error = await failure(client.call('user.current'));
    expect(error.kind).toBe('signedOut');
    expect(calls).toHaveLength(1);
  });

  it('never puts the sessid into an error message, and redacts it from logs', async () => {
    const { client } = sessionClient([sessionFailed(SID), sessionFailed(NEW_SID)]);
    const error = await failure(client.call('user.current'));
    expect(error.message).not.toContain(SID);
    expect(error.message).not.toContain(NEW_SID);
    expect(client.redact(`sessid=${SID}`)).toBe('sessid=***');
  });
});

describe('identity check with the connected user', () => {
  const batchAnswer = (who: unknown, rest: Record<string, unknown> = { a: [1] }) =>
    ok({ result: { __who: who, ...rest }, result_error: [], result_total: [], result_next: [], result_time: { __who: {}, a: {} } });

  it('adds user.current to a batch and takes it out of the answer', async () => {
    const { client, calls } = sessionClient([batchAnswer({ ID: '7' })], { sessid: SID, userId: 7 });
    const answer = await client.call<Record<string, Record<string, unknown>>>('batch', { halt: 0, cmd: { a: 'crm.deal.list' } });
    const sent = JSON.parse(String(calls[0].init.body));
    expect(Object.keys(sent.cmd)).toEqual(['__who', 'a']);
    expect(sent.cmd.__who).toBe('user.current');
    expect(answer.result.result).toEqual({ a: [1] });
    expect(answer.result.result_time).toEqual({ a: {} });
  });

  it("refuses another user's answer: nothing of it reaches the caller", async () => {
    const { client } = sessionClient([batchAnswer({ ID: '8' })], { sessid: SID, userId: 7 });
    const error = await failure(client.call('batch', { halt: 0, cmd: { a: 'crm.deal.list' } }));
    expect(error.kind).toBe('otherUser');
    expect(error.action).toBe('reauth');
  });

  it('checks before a write, once per minute and session', async () => {
    let clock = 0;
    const { client, calls } = sessionClient([ok({ ID: '7' }), ok(true), ok(true), ok({ ID: '7' }), ok(true)], {
      sessid: SID,
      userId: 7,
      now: () => clock,
    });
    await client.call('crm.activity.update', { id: 1 });
    await client.call('crm.activity.update', { id: 2 });
    clock = 61_000;
    await client.call('crm.activity.update', { id: 3 });
    expect(calls.map((c) => c.url.pathname)).toEqual([
      '/rest/user.current.json',
      '/rest/crm.activity.update.json',
      '/rest/crm.activity.update.json',
      '/rest/user.current.json',
      '/rest/crm.activity.update.json',
    ]);
  });

  it('does not write when another user is signed in', async () => {
    const { client, calls } = sessionClient([ok({ ID: '8' }), ok(true)], { sessid: SID, userId: 7 });
    const error = await failure(client.call('crm.activity.update', { id: 1 }));
    expect(error.kind).toBe('otherUser');
    expect(calls).toHaveLength(1);
  });

  it('a full batch (50 commands) is checked by a request of its own first', async () => {
    const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 'crm.deal.list']));
    const { client, calls } = sessionClient([ok({ ID: '7' }), ok({ result: {}, result_error: [] })], { sessid: SID, userId: 7 });
    await client.call('batch', { halt: 0, cmd });
    expect(calls.map((c) => c.url.pathname)).toEqual(['/rest/user.current.json', '/rest/batch.json']);
    expect(Object.keys(JSON.parse(String(calls[1].init.body)).cmd)).toHaveLength(50);
  });
});
