import { describe, expect, it } from 'vitest';
import { type BatchAnswer, callBatch, commandString, fatalError, listRows, phpQuery, ref } from './batch';
import type { BitrixClient } from './client';
import { BitrixError } from './errors';

describe('batch commands', () => {
  it('encodes parameters in PHP bracket form, references included', () => {
    expect(phpQuery({ filter: { '>ID': ref('p0', 49, 'ID'), COMPLETED: 'N' }, select: ['ID', 'SUBJECT'], start: -1 })).toBe(
      'filter%5B%3EID%5D=%24result%5Bp0%5D%5B49%5D%5BID%5D&filter%5BCOMPLETED%5D=N&select%5B0%5D=ID&select%5B1%5D=SUBJECT&start=-1',
    );
    expect(commandString({ method: 'crm.type.list' })).toBe('crm.type.list');
    expect(commandString({ method: 'user.get', params: { start: 50 } })).toBe('user.get?start=50');
    expect(ref('p3', 'items', 49, 'id')).toBe('$result[p3][items][49][id]');
  });

  it('asks the portal to halt at the first failing command only when told to', async () => {
    const sent: unknown[] = [];
    const client = {
      waitedMs: 0,
      call: async (_method: string, params?: Record<string, unknown>) => {
        sent.push(params?.halt);
        return { result: { result: { a: [] }, result_error: [], result_time: [] } };
      },
    } as unknown as BitrixClient;
    const commands = new Map([['a', { method: 'crm.activity.list' }]]);
    await callBatch(client, commands);
    await callBatch(client, commands, { halt: true });
    expect(sent).toEqual([0, 1]);
  });

  it('reads rows of legacy lists and of crm.item.list', () => {
    expect(listRows([{ ID: '1' }])).toEqual([{ ID: '1' }]);
    expect(listRows({ items: [{ id: 1 }] })).toEqual([{ id: 1 }]);
    expect(listRows(null)).toEqual([]);
  });

  it.each([
    ['a dangling reference on a key that may fail', 'r3', new BitrixError('other', 'x'), true, null],
    ['a deleted record on a key that may fail', 'b1', new BitrixError('recordDenied', 'x'), true, null],
    ['a missing department scope on a key that may fail', 'd', new BitrixError('missingScope', 'x'), true, null],
    ['a time limit, even on a key that may fail', 'r3', new BitrixError('timeLimit', 'x'), true, 'timeLimit'],
    ['a revoked webhook, even on a key that may fail', 'd', new BitrixError('badCredentials', 'x'), true, 'badCredentials'],
    ['anything on a key that must succeed', 'acts', new BitrixError('other', 'x'), false, 'other'],
  ])('%s', (_name, key, error, mayFail, expected) => {
    const answer: BatchAnswer = { results: new Map(), errors: new Map([[key, error]]), totals: new Map(), time: undefined };
    expect(fatalError(answer, () => mayFail)?.kind ?? null).toBe(expected);
  });
});
