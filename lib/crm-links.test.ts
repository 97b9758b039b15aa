import { describe, expect, it } from 'vitest';
import { itemRefFromHref, itemUrl, pageKind } from './crm-links';

const origin = 'https://acme.bitrix24.com';
const base = `${origin}/crm/deal/list/`;

describe('itemRefFromHref', () => {
  it.each([
    ['/crm/lead/details/7/', 1, 7],
    ['/crm/deal/details/15/', 2, 15],
    ['/crm/contact/details/3/', 3, 3],
    ['/crm/company/details/4/', 4, 4],
    ['/crm/type/128/details/9/', 128, 9],
    [`${origin}/crm/deal/details/15/`, 2, 15],
    ['/crm/deal/details/15/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER', 2, 15],
    ['/crm/deal/details/15/#activity', 2, 15],
    ['/crm/deal/details/15', 2, 15],
    ['../details/15/', 2, 15],
    ['//acme.bitrix24.com/crm/deal/details/15/', 2, 15],
  ])('%s → %i:%i', (href, entityTypeId, entityId) => {
    expect(itemRefFromHref(href, base, origin)).toEqual({ entityTypeId, entityId });
  });

  it.each([
    '/crm/deal/details/0/',
    '/crm/deal/list/',
    '/crm/deal/details/abc/',
    '/crm/deal/details/-1/',
    '/crm/deal/details/15/edit/',
    '/crm/invoice/details/5/',
    '/crm/type/0/details/5/',
    'https://other.bitrix24.com/crm/deal/details/15/',
    'http://acme.bitrix24.com/crm/deal/details/15/',
    'javascript:alert(1)',
    'mailto:a@b.c',
    'http://[',
  ])('%s → no item', (href) => {
    expect(itemRefFromHref(href, base, origin)).toBeNull();
  });
});

describe('itemUrl', () => {
  it('builds item pages', () => {
    expect(itemUrl(origin, { entityTypeId: 2, entityId: 15 })).toBe(`${origin}/crm/deal/details/15/`);
    expect(itemUrl(origin, { entityTypeId: 3, entityId: 1 })).toBe(`${origin}/crm/contact/details/1/`);
    expect(itemUrl(origin, { entityTypeId: 128, entityId: 9 })).toBe(`${origin}/crm/type/128/details/9/`);
  });
});

describe('pageKind', () => {
  it.each([
    ['/crm/deal/list/', 'lists'],
    ['/crm/deal/kanban/', 'lists'],
    ['/crm/deal/kanban/category/1/', 'lists'],
    ['/crm/deal/activity/', 'lists'],
    ['/crm/type/128/list/', 'lists'],
    ['/crm/deal/details/15/', 'itemPages'],
    ['/crm/type/128/details/9/', 'itemPages'],
    ['/stream/', 'elsewhere'],
    ['/company/personal/user/1/', 'elsewhere'],
  ] as const)('%s is %s', (path, kind) => {
    expect(pageKind(path)).toBe(kind);
  });
});
