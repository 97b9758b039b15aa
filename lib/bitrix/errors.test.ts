import { describe, expect, it } from 'vitest';
import { BitrixError, classifyErrorCode } from './errors';

describe('classifyErrorCode', () => {
  it.each([
    ['QUERY_LIMIT_EXCEEDED', '', 503, 'rateLimit', 'wait'],
    ['OPERATION_TIME_LIMIT', '', 429, 'timeLimit', 'wait'],
    ['NO_AUTH_FOUND', '', 401, 'badCredentials', 'stop'],
    ['INVALID_CREDENTIALS', 'Invalid request credentials', 401, 'badCredentials', 'stop'],
    ['INVALID_CREDENTIALS', '', 403, 'badCredentials', 'stop'],
    ['insufficient_scope', 'The request requires higher privileges than provided by the webhook token', 401, 'missingScope', 'stop'],
    ['expired_token', '', 401, 'authExpired', 'stop'],
    ['invalid_token', '', 401, 'authExpired', 'stop'],
    ['authorization_error', '', 401, 'authExpired', 'stop'],
    ['ACCESS_DENIED', 'REST is available only on commercial plans', 403, 'restUnavailable', 'stop'],
    ['ACCESS_DENIED', 'REST is available only by subscription', 401, 'restUnavailable', 'stop'],
    ['ACCESS_DENIED', 'Access denied', 400, 'recordDenied', 'skip'],
    ['ACCESS_DENIED', '', 403, 'recordDenied', 'skip'],
    ['NOT_FOUND', 'Activity not found', 400, 'recordDenied', 'skip'],
    ['PAYMENT_REQUIRED', 'Subscription has expired', 401, 'subscriptionEnded', 'stop'],
    ['session_failed', 'Sessid check failed', 401, 'sessionFailed', 'reauth'],
    ['access_denied', 'User not authorized', 401, 'signedOut', 'reauth'],
    ['access_denied', 'Access denied for this type of user', 401, 'userTypeDenied', 'stop'],
    ['access_denied', 'Something else', 401, 'other', 'stop'],
    ['QUERY_LIMIT_EXCEEDED', 'Too many requests', 503, 'rateLimit', 'wait'],
    ['INVALID_REQUEST', 'Https required.', 400, 'httpsRequired', 'stop'],
    ['ERROR_METHOD_NOT_FOUND', 'Method not found!', 404, 'methodNotFound', 'degrade'],
    ['INTERNAL_SERVER_ERROR', '', 500, 'server', 'retry'],
    ['', 'Access denied.', 400, 'recordDenied', 'skip'],
    ['', 'Not found', 400, 'recordDenied', 'skip'],
    ['SOMETHING_NEW', '', 502, 'server', 'retry'],
    ['SOMETHING_NEW', '', 400, 'other', 'stop'],
    // Exact codes: the case of a code is part of it.
    ['Access_Denied', '', 401, 'other', 'stop'],
    ['query_limit_exceeded', '', 400, 'other', 'stop'],
  ] as const)('%s (%s, %s) → %s, %s', (code, description, status, kind, action) => {
    const classified = classifyErrorCode(code, description, status);
    expect(classified).toBe(kind);
    expect(new BitrixError(classified, 'x').action).toBe(action);
  });
});

describe('the session\'s access_denied', () => {
  it('reads extended_error when the description says nothing', () => {
    expect(classifyErrorCode('access_denied', '', 401, 'user_not_authorized')).toBe('signedOut');
  });
});
