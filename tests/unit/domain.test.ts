import { describe, expect, it } from 'vitest';
import { fullName, itemKey } from '../../lib/domain';

describe('fullName', () => {
  it.each([
    ['Anna', 'Schmidt', 'Anna Schmidt'],
    [' Anna ', '', 'Anna'],
    ['', 'Schmidt', 'Schmidt'],
  ])('%s + %s = %s', (name, last, expected) => {
    expect(fullName(name, last)).toBe(expected);
  });
  it('keys items', () => {
    expect(itemKey({ entityTypeId: 2, entityId: 15 })).toBe('2:15');
  });
});
