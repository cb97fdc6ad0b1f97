/**
 * Expected version of a stream when appending, as in EventStoreDB: `any` (no check), `no-stream`
 * (must not exist), `exists` (must exist), or the exact current version (number of events so far).
 */
export type ExpectedVersion = 'any' | 'no-stream' | 'exists' | number;

export interface NewEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  schemaVersion?: number;
}

export interface RecordedEvent {
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  recordedAt: Date;
  actor: string;
}

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  actor: string;
  /** Same key again → the original result, no second write. */
  idempotencyKey?: string;
  /** A fingerprint of the request behind the key, so a reused key with another payload is refused. */
  requestHash?: string;
  /**
   * The caller read the stream in this same operation and found it at `expectedVersion`: skip the
   * re-read. A race is still caught by the primary key on `<stream>@<version>`.
   */
  expectedVersionVerified?: boolean;
  /** Clock for recordedAt (tests pin it). */
  now?: Date;
}

export interface AppendResult {
  streamId: string;
  /** Version after the append (= number of events in the stream). */
  nextVersion: number;
  /** True when nothing was written because the same append had already happened. */
  replayed: boolean;
}

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class EventStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `the event store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'EventStoreUnavailableError';
  }
}
