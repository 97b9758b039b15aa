// demo/batch.ts's reference walk on its own (the wire tests are in faithful.test.ts).
import { describe, expect, it } from 'vitest';
import { type BatchMaps, phpTruthy, resolveElement, resolveRefs } from './batch.ts';

const rows = [{ ID: '7' }, { ID: '9' }];
const maps = (): BatchMaps => ({ result: { a: rows, n: { items: [{ id: 4 }] } }, next: {}, total: { a: 120 }, time: {}, error: { bad: { error: 'X', error_description: 'y' } } });

describe('batch references', () => {
  it('walks to the deepest level that exists', () => {
    expect(resolveElement('$result[a][1][ID]', maps())).toBe('9');
    expect(resolveElement('$result[n][items][0][id]', maps())).toBe(4);
    expect(resolveElement('$result[a][49][ID]', maps())).toBe(rows);
    expect(resolveElement('$result[bad][49][ID]', maps())).toEqual(maps().result);
    expect(resolveElement('$total[a]', maps())).toBe(120);
    expect(resolveElement('$error[bad][error]', maps())).toBe('X');
  });

  it('writes only scalars into text, and takes the path up to whitespace', () => {
    expect(resolveElement('x$result[a][0][ID]', maps())).toBe('x7');
    expect(resolveElement('x $result[a][5][ID] y', maps())).toBe('x $result[a][5][ID] y');
    // Glued text belongs to the reference and goes with it.
    expect(resolveElement('$result[a][0][ID]abc d', maps())).toBe('7 d');
    expect(resolveElement('$result', maps())).toBe('$result');
    // The map name is looked up as written.
    expect(resolveElement('$RESULT[a][0][ID]', maps())).toBe(null);
  });

  it('resolves nested parameters and reads halt as PHP (bool)', () => {
    expect(resolveRefs({ filter: { '>ID': '$result[a][1][ID]' }, select: ['ID'] }, maps())).toEqual({ filter: { '>ID': '9' }, select: ['ID'] });
    expect([0, '0', '', null, [], 'false', 'N', 1].map(phpTruthy)).toEqual([false, false, false, false, false, true, true, true]);
  });
});
