import { describe, expect, it } from 'vitest';
import { parsePortalAddress } from './portal-address';

describe('parsePortalAddress', () => {
  it.each([
    ['example.bitrix24.com', 'https://example.bitrix24.com'],
    ['  https://example.bitrix24.com/  ', 'https://example.bitrix24.com'],
    ['https://example.bitrix24.de/crm/deal/details/5/?IFRAME=Y', 'https://example.bitrix24.de'],
    ['crm.example.org:8443/stream/', 'https://crm.example.org:8443'],
    ['http://127.0.0.1:8024/crm/deal/list/', 'http://127.0.0.1:8024'],
    ['http://localhost:9000', 'http://localhost:9000'],
  ])('%s → %s', (input, origin) => {
    expect(parsePortalAddress(input)).toEqual({ ok: true, origin });
  });

  it.each([
    ['', 'emptyAddress'],
    ['   ', 'emptyAddress'],
    ['not a portal', 'notAddress'],
    ['example', 'notAddress'],
    ['ftp://example.bitrix24.com', 'notAddress'],
    ['https://user:pw@example.bitrix24.com', 'notAddress'],
    ['http://example.bitrix24.com', 'notHttpsAddress'],
  ])('%j → %s', (input, problem) => {
    expect(parsePortalAddress(input)).toEqual({ ok: false, problem });
  });
});
