import { describe, expect, it } from 'vitest';
import { maskWebhook, parseWebhookUrl, redactSecret } from './webhook';

describe('parseWebhookUrl', () => {
  it.each([
    ['https://example.bitrix24.com/rest/1/abc123def456/', 'https://example.bitrix24.com/rest/1/abc123def456/'],
    ['https://example.bitrix24.com/rest/1/abc123def456', 'https://example.bitrix24.com/rest/1/abc123def456/'],
    ['https://example.bitrix24.com/rest/1/abc123def456/profile', 'https://example.bitrix24.com/rest/1/abc123def456/'],
    ['https://example.bitrix24.com/rest/1/abc123def456/user.current.json', 'https://example.bitrix24.com/rest/1/abc123def456/'],
    ['  https://example.bitrix24.com/rest/12/abc123def456/crm.deal.list/  ', 'https://example.bitrix24.com/rest/12/abc123def456/'],
    ['example.bitrix24.com/rest/1/abc123def456/', 'https://example.bitrix24.com/rest/1/abc123def456/'],
    ['https://crm.example.org:8443/rest/7/abc123def456/', 'https://crm.example.org:8443/rest/7/abc123def456/'],
    ['https://example.org/portal/rest/7/abc123def456/', 'https://example.org/portal/rest/7/abc123def456/'],
    ['http://127.0.0.1:8024/rest/1/k3y4demo8counter/', 'http://127.0.0.1:8024/rest/1/k3y4demo8counter/'],
    ['http://localhost:9000/rest/1/k3y4demo8counter/?x=1#y', 'http://localhost:9000/rest/1/k3y4demo8counter/'],
  ])('accepts %s', (input, base) => {
    const parsed = parseWebhookUrl(input);
    expect(parsed.ok && parsed.webhook.base).toBe(base);
  });

  it('splits the parts', () => {
    const parsed = parseWebhookUrl('https://example.bitrix24.com/rest/12/abc123def456/');
    expect(parsed).toEqual({
      ok: true,
      webhook: {
        origin: 'https://example.bitrix24.com',
        userId: 12,
        secret: 'abc123def456',
        base: 'https://example.bitrix24.com/rest/12/abc123def456/',
      },
    });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['not a url at all', 'notUrl'],
    ['ftp://example.bitrix24.com/rest/1/abc123def456/', 'notUrl'],
    ['https://localhostx/rest/1/abc/', 'notUrl'],
    ['http://example.bitrix24.com/rest/1/abc123def456/', 'notHttps'],
    ['https://example.bitrix24.com/', 'notWebhookPath'],
    ['https://example.bitrix24.com/crm/deal/list/', 'notWebhookPath'],
    ['https://example.bitrix24.com/rest/1/', 'notWebhookPath'],
    ['https://example.bitrix24.com/rest/1/abc123def456/a/b', 'notWebhookPath'],
    ['https://example.bitrix24.com/rest/0/abc123def456/', 'badUserId'],
    ['https://example.bitrix24.com/rest/x/abc123def456/', 'badUserId'],
    ['https://example.bitrix24.com/rest/1/a%3Cb%3E/', 'badSecret'],
  ])('refuses %j as %s', (input, problem) => {
    expect(parseWebhookUrl(input)).toEqual({ ok: false, problem });
  });
});

describe('masking', () => {
  it('hides the secret', () => {
    const parsed = parseWebhookUrl('https://example.bitrix24.com/rest/1/abc123def456/');
    if (!parsed.ok) throw new Error('parse');
    expect(maskWebhook(parsed.webhook)).toBe('https://example.bitrix24.com/rest/1/ab…56/');
    expect(maskWebhook(parsed.webhook)).not.toContain('abc123def456');
  });
  it('redacts the secret from text', () => {
    expect(redactSecret('GET https://x/rest/1/abc123/user.current failed', 'abc123')).toBe(
      'GET https://x/rest/1/***/user.current failed',
    );
  });
});
