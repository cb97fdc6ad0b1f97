import type { RecordedEvent } from '../event-store/event-store.types';

export type PoisonPolicy = 'skip' | 'stop';

export interface Poisoned {
  event: RecordedEvent;
  reason: string;
}

/**
 * Folds a stream's events into state. An event that cannot be applied (unknown type, a shape no
 * upcaster fixes, a broken invariant) is reported as poisoned instead of throwing: with `skip` the
 * fold goes on without it, with `stop` the state stays at the event before.
 */
export function foldStream<S, E>(
  events: RecordedEvent[],
  evolve: (state: S | null, event: E) => S,
  policy: PoisonPolicy,
): { state: S | null; version: number; poisoned: Poisoned[] } {
  let state: S | null = null;
  let version = 0;
  const poisoned: Poisoned[] = [];
  for (const e of events) {
    try {
      state = evolve(state, { type: e.type, data: e.data } as E);
      version = e.version;
    } catch (error) {
      poisoned.push({ event: e, reason: error instanceof Error ? error.message : String(error) });
      if (policy === 'stop') break;
      version = e.version;
    }
  }
  return { state, version, poisoned };
}
