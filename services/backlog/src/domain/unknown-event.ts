/**
 * The end of every evolve's switch: an event type the aggregate does not know must fail the fold
 * (foldStream then reports it as poisoned) rather than turn the state into `undefined`, which would
 * poison the next, valid event instead and leave no state to project.
 */
export function unknownEvent(event: { type: string }): never {
  throw new Error(`unknown event type ${event.type}`);
}
