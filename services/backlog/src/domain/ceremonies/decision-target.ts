import { DomainError } from '../domain-error';
import { TRANSITIONS } from '../items/item.decide';
import type { ItemState, ItemStatus } from '../items/item.types';
import type { DecisionKind } from './ceremony.types';

/** The status a ceremony decision puts its item in. */
export const STATUS_FOR_DECISION: Record<DecisionKind, ItemStatus> = {
  commit: 'committed',
  defer: 'deferred',
  drop: 'dropped',
};

/**
 * The status a decision moves the item to, or the refusal: a ceremony may only decide what the
 * item's own lifecycle allows (deciding again what the item already is, is allowed and moves
 * nothing). Checked before the decision is recorded, so no decision stands that its item refuses.
 */
export function decisionTarget(
  item: ItemState | null,
  itemId: string,
  decision: DecisionKind,
): ItemStatus {
  if (!item) throw new DomainError('item-not-found', `item ${itemId} does not exist`);
  const target = STATUS_FOR_DECISION[decision];
  if (item.status !== target && !TRANSITIONS[item.status].includes(target))
    throw new DomainError(
      'invalid-transition',
      `item ${itemId} is ${item.status} and cannot be ${target}`,
    );
  return target;
}
