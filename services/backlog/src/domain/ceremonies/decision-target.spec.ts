import { DomainError } from '../domain-error';
import type { ItemState } from '../items/item.types';
import { decisionTarget } from './decision-target';

const item = (status: ItemState['status']) => ({ status }) as ItemState;
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).code;
  }
  throw new Error('expected a refusal');
};

describe('decisionTarget: what a ceremony decision does to its item', () => {
  it.each([
    ['ready', 'commit', 'committed'],
    ['proposed', 'defer', 'deferred'],
    ['ready', 'drop', 'dropped'],
    ['committed', 'commit', 'committed'],
  ] as const)('an item %s, decided %s, becomes %s', (status, decision, target) => {
    expect(decisionTarget(item(status), 'i-1', decision)).toBe(target);
  });

  it('refuses a decision the item lifecycle does not allow', () => {
    expect(refusal(() => decisionTarget(item('done'), 'i-1', 'commit'))).toBe('invalid-transition');
  });

  it('refuses a decision on an item that does not exist', () => {
    expect(refusal(() => decisionTarget(null, 'i-9', 'drop'))).toBe('item-not-found');
  });
});
