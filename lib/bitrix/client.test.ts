import { describe, expect, it } from 'vitest';
import { createClient } from './client';
import { BitrixError } from './errors';
import { parseWebhookUrl } from './webhook';

const parsed = parseWebhookUrl('https://example.bitrix24.com/rest/1/abc123def456/');
if (!parsed.ok) throw new Error('fixture');
const webhook = parsed.webhook;

type Reply = { status: number; body: string } | Error;

function scripted(replies: Reply[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    const reply = replies.shift();
    if (!reply) throw new Error('no more replies');
    if (reply instanceof Error) throw reply;
    return new Response(reply.body, { status: reply.status });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const ok = (result: unknown) => ({ status: 200, body: JSON.stringify({ result, time: {} }) });
const err = (status: number, error: string, description = '') => ({
  status,
  body: JSON.stringify({ error, error_description: description }),
});

async function failure(promise: Promise<unknown>): Promise<BitrixError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BitrixError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('client', () => {
  const sleeps: number[] = [];
  const base = { webhook, sleep: async (ms: number) => void sleeps.push(ms), now: () => 0 };

  it('POSTs JSON to the method with credentials omitted', async () => {
    const { fetch, calls } = scripted([ok({ ID: '1' })]);
    const answer = await createClient({ ...base, fetch }).call('user.current', { a: 1 });
    expect(answer.result).toEqual({ ID: '1' });
    expect(calls[0].url).toBe('https://example.bitrix24.com/rest/1/abc123def456/user.current.json');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.credentials).toBe('omit');
    expect(calls[0].init.body).toBe('{"a":1}');
    expect(new Headers(calls[0].init.headers).has('authorization')).toBe(false);
  });

  it('counts the time spent waiting for answers', async () => {
    const slow = async (_input: RequestInfo | URL, _init?: RequestInit) => {
      await new Promise((r) => setTimeout(r, 20));
      return new Response(JSON.stringify({ result: true, time: {} }), { status: 200 });
    };
    const client = createClient({ ...base, fetch: slow as typeof globalThis.fetch });
    expect(client.waitedMs).toBe(0);
    await client.call('scope');
    await client.call('scope');
    expect(client.waitedMs).toBeGreaterThanOrEqual(35);
  });

  it('retries rate limits and server errors with growing waits', async () => {
    sleeps.length = 0;
    const { fetch } = scripted([err(503, 'QUERY_LIMIT_EXCEEDED'), err(500, 'INTERNAL_SERVER_ERROR'), ok(true)]);
    const answer = await createClient({ ...base, fetch, backoffMs: 100 }).call('scope');
    expect(answer.result).toBe(true);
    // Backoff 100 then 150 ms; after QUERY_LIMIT_EXCEEDED the bucket also counts as full.
    expect(sleeps[0]).toBe(100);
    expect(sleeps).toContain(150);
    expect(sleeps.some((ms) => ms > 150)).toBe(true);
  });

  it('stops at once on a wrong webhook code', async () => {
    const { fetch, calls } = scripted([err(401, 'INVALID_CREDENTIALS', 'Invalid request credentials')]);
    const error = await failure(createClient({ ...base, fetch }).call('user.current'));
    expect(error.kind).toBe('badCredentials');
    expect(calls).toHaveLength(1);
  });

  it('names the missing scope', async () => {
    const { fetch } = scripted([err(401, 'insufficient_scope', 'The request requires higher privileges: crm')]);
    const error = await failure(createClient({ ...base, fetch }).call('crm.deal.list'));
    expect(error.kind).toBe('missingScope');
    expect(error.scope).toBe('crm');
  });

  it('treats an HTML page as an error, not data', async () => {
    const { fetch } = scripted([{ status: 200, body: '<html><body>Maintenance</body></html>' }]);
    const error = await failure(createClient({ ...base, fetch, retries: 0 }).call('scope'));
    expect(error.kind).toBe('notJson');
  });

  it('reports an unreachable portal without the secret', async () => {
    const { fetch } = scripted([new TypeError('fetch failed: https://example.bitrix24.com/rest/1/abc123def456/')]);
    const error = await failure(createClient({ ...base, fetch, retries: 0 }).call('scope'));
    expect(error.kind).toBe('unreachable');
    expect(error.message).not.toContain('abc123def456');
  });

  it('gives up when the retries are spent', async () => {
    const { fetch, calls } = scripted([err(500, 'INTERNAL_SERVER_ERROR'), err(500, 'INTERNAL_SERVER_ERROR')]);
    const error = await failure(createClient({ ...base, fetch, retries: 1 }).call('scope'));
    expect(error.kind).toBe('server');
    expect(calls).toHaveLength(2);
  });

  it('retries a request that timed out once only (each try costs a whole timeout)', async () => {
    sleeps.length = 0;
    const timedOut = () => new DOMException('The operation timed out.', 'TimeoutError');
    const { fetch, calls } = scripted([timedOut(), timedOut(), ok(true)]);
    const error = await failure(createClient({ ...base, fetch, retries: 3, timeoutMs: 5_000 }).call('scope'));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('5 s');
    expect(calls).toHaveLength(2);
  });
});
