import type { Poisoned, StoredEvent } from '../domain/fold-stream';

/**
 * What the write side tells the read side after a command: the stream as the command handler
 * folded it. The handler depends on this port, not on a read model; read-models/ provides it
 * (read-models.module binds the Projector), so the events of a command are folded once, not twice.
 */
export interface StreamProjection {
  applied(
    streamId: string,
    events: StoredEvent[],
    folded: { state: unknown; version: number; poisoned: Poisoned[] },
    opts: { created: boolean },
  ): Promise<void>;
  /** Events a fold could not apply, for the dead-letter collection and its counter. */
  deadLetter(poisoned: Poisoned[]): Promise<void>;
}

export const STREAM_PROJECTION = Symbol('STREAM_PROJECTION');
