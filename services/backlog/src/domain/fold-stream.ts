/** What folding needs of a stored event; the event store's records have at least this. */
export interface StoredEvent {
  eventId: string;
  streamId: string;
  type: string;
  data: unknown;
  version: number;
}

export type PoisonPolicy = 'skip' | 'stop';

export interface Poisoned<T extends StoredEvent = StoredEvent> {
  event: T;
  reason: string;
}

/**
 * Folds a stream's events into state. An event that cannot be applied (unknown type, a shape no
 * upcaster fixes, a broken invariant) is reported as poisoned instead of throwing: with `skip` the
 * fold goes on without it, with `stop` the state stays at the event before.
 */
export function foldStream<S, E, T extends StoredEvent = StoredEvent>(
  events: T[],
  evolve: (state: S | null, event: E) => S,
  policy: PoisonPolicy,
): { state: S | null; version: number; poisoned: Poisoned<T>[] } {
  let state: S | null = null;
  let version = 0;
  const poisoned: Poisoned<T>[] = [];
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
