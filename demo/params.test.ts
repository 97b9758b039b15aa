import { describe, expect, it } from 'vitest';
import { buildPhpQuery, parsePhpQuery } from './params.ts';

describe('parsePhpQuery', () => {
  it.each([
    ['filter[>ID]=5&select[]=ID&select[]=TITLE', { filter: { '>ID': '5' }, select: ['ID', 'TITLE'] }],
    ['order[ID]=ASC&start=-1', { order: { ID: 'ASC' }, start: '-1' }],
    ['filter%5B%3ELAST_UPDATED%5D=2026-05-13T15%3A00%3A00%2B03%3A00', { filter: { '>LAST_UPDATED': '2026-05-13T15:00:00+03:00' } }],
    ['filter[@ID][]=1&filter[@ID][]=2', { filter: { '@ID': ['1', '2'] } }],
    ['cmd[a]=crm.deal.list%3Fstart%3D50&halt=1', { cmd: { a: 'crm.deal.list?start=50' }, halt: '1' }],
    ['filter[>ID]=$result[p0][49][ID]', { filter: { '>ID': '$result[p0][49][ID]' } }],
    ['a=1+2&b=', { a: '1 2', b: '' }],
    ['bad=%E0%A4%A', { bad: '%E0%A4%A' }],
    ['', {}],
  ])('%s', (query, expected) => {
    expect(parsePhpQuery(query)).toEqual(expected);
  });

  it('round-trips what buildPhpQuery writes', () => {
    const data = { filter: { '>ID': '7', '@OWNER_TYPE_ID': ['1', '2'] }, select: ['ID', 'IS_INCOMING_CHANNEL'], order: { ID: 'ASC' }, start: '-1' };
    expect(parsePhpQuery(buildPhpQuery(data))).toEqual(data);
  });
});
