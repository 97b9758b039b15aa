// Connecting with the browser's login: what each answer of the portal means to the options page.
import { describe, expect, it } from 'vitest';
import { memorySessid } from './bitrix/auth';
import { createClient } from './bitrix/client';
import { checkLogin } from './connection';

const reply = (status: number, body: unknown) => async () =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });

function check(input: string, answer: () => Promise<Response>) {
  return checkLogin(input, 1_000, () => memorySessid('s'), (auth) =>
    createClient({ auth, fetch: answer as typeof fetch, retries: 0, sleep: async () => {} }),
  );
}

describe('checkLogin', () => {
  it('connects as the signed-in user, in login mode, without a webhook URL', async () => {
    const result = await check('acme.bitrix24.com', reply(200, { result: { ID: '5', NAME: 'Ann', LAST_NAME: 'Lee', TIME_ZONE: '' }, time: {} }));
    expect(result).toEqual({
      ok: true,
      record: { mode: 'login', webhookUrl: '', origin: 'https://acme.bitrix24.com', userId: 5, userName: 'Ann Lee', timeZone: null, scopes: [], connectedAt: 1_000 },
    });
  });

  it.each([
    ['signed out', reply(401, { error: 'access_denied', error_description: 'User not authorized', extended_error: 'user_not_authorized' }), 'signedOut'],
    ['a bot account', reply(401, { error: 'access_denied', error_description: 'Access denied for this type of user' }), 'userTypeDenied'],
    ['no handler for the session (NO_AUTH_FOUND)', reply(401, { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' }), 'loginUnsupported'],
    ['a 404 page', reply(404, '<html>Not found</html>'), 'loginUnsupported'],
    ['an HTML page', reply(200, '<html>Welcome</html>'), 'loginUnsupported'],
    ['a plan refusal, which the session does not have', reply(401, { error: 'ACCESS_DENIED', error_description: 'REST is available only by subscription' }), 'loginUnsupported'],
    ['an unreachable portal', async () => Promise.reject(new TypeError('fetch failed')), 'unreachable'],
  ])('%s → %s', async (_name, answer, problem) => {
    const result = await check('https://acme.bitrix24.com/crm/', answer);
    expect(result).toMatchObject({ ok: false, problem });
    if (!result.ok && problem !== 'unreachable') expect(result.origin).toBe('https://acme.bitrix24.com');
  });

  it('says what is wrong with the address before asking anyone', async () => {
    expect(await check('http://acme.bitrix24.com', reply(500, ''))).toEqual({ ok: false, problem: 'notHttpsAddress' });
  });
});
