import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventStoreRepository } from '../event-store/event-store.repository';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../event-store/event-store.types';
import type { RecordedEvent } from '../event-store/event-store.types';
import { BacklogMetrics } from '../observability/backlog-metrics';
import { STREAM_PROJECTION, type StreamProjection } from './stream-projection.port';
import { DomainError } from '../domain/domain-error';
import { foldStream } from '../domain/fold-stream';
import { kindOf, STREAM_KINDS } from '../domain/streams';

export class PreconditionFailedError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: readonly number[],
    readonly actual: number,
  ) {
    super(
      `If-Match names ${expected.length ? `version ${expected.join(', ')}` : 'no version of this resource'} but ${streamId.replace(/^(item|ceremony)-/, '')} is at version ${actual}`,
    );
    this.name = 'PreconditionFailedError';
  }
}

export interface CommandOptions {
  actor: string;
  /** Versions If-Match accepts, when the client sent it (empty: none can match). */
  ifMatch?: readonly number[];
  idempotencyKey?: string;
  requestHash?: string;
  /** The stream id was just generated (a new UUID): nothing to load. */
  newStream?: boolean;
  /** Deterministic event ids (derived from an upstream id) instead of random ones. */
  eventIds?: (index: number) => string;
}

export interface CommandResult<S> {
  streamId: string;
  state: S;
  version: number;
  replayed: boolean;
  appended: number;
}

/** Streams whose state this instance knows as of its own last write, at most this many. */
const CACHE_STREAMS = 10_000;

interface Loaded {
  state: unknown;
  version: number;
  events: RecordedEvent[];
}

/**
 * Load → decide → append at the version the decision was made on → project. The expected version is
 * always the one loaded, so a concurrent writer turns this command into a conflict, never a lost
 * update.
 *
 * Loading reads the whole stream, so the state each command leaves behind is kept (an aggregate
 * cache, as Marten and Axon keep one): the next command on the stream decides on it without a read.
 * It cannot cause a lost update: the append still names the version, and when another instance has
 * written meanwhile the append fails on the stream's unique version and the command runs again on
 * a fresh read. The same happens when an If-Match names a version the cache has not seen.
 */
@Injectable()
export class CommandHandler {
  private readonly cache = new Map<string, Loaded>();

  constructor(
    private readonly store: EventStoreRepository,
    @Inject(STREAM_PROJECTION) private readonly projection: StreamProjection,
    private readonly metrics: BacklogMetrics,
  ) {}

  async execute<S, C, E extends { type: string; data: object }>(
    streamId: string,
    name: string,
    decide: (state: S | null, command: C) => E[],
    command: C,
    opts: CommandOptions,
  ): Promise<CommandResult<S>> {
    const attempt = (useCache: boolean) =>
      this.orReplay(opts, () => this.attempt(streamId, decide, command, opts, useCache));
    try {
      let result: CommandResult<S>;
      try {
        result = await attempt(true);
      } catch (error) {
        const stale =
          error instanceof WrongExpectedVersionError || error instanceof PreconditionFailedError;
        if (!stale || !this.cache.delete(streamId)) throw error;
        result = await attempt(false);
      }
      this.metrics.commands.inc({ command: name, outcome: result.replayed ? 'replayed' : 'ok' });
      return result;
    } catch (error) {
      this.cache.delete(streamId);
      this.metrics.commands.inc({ command: name, outcome: outcomeOf(error) });
      throw error;
    }
  }

  /**
   * A retried request whose first try committed is recognised by its Idempotency-Key only when this
   * try does not simply go through (the append's unique key refuses it, the decision refuses it or
   * decides nothing, its If-Match is stale): a first try — nearly every request — pays no lookup.
   */
  private async orReplay<S>(
    opts: CommandOptions,
    run: () => Promise<CommandResult<S>>,
  ): Promise<CommandResult<S>> {
    try {
      return await run();
    } catch (error) {
      if (!opts.idempotencyKey || error instanceof EventStoreUnavailableError) throw error;
      // Only a refusal can mean "already done" (the retried transition is no longer allowed, the
      // If-Match names the version before it). A database error the driver reports otherwise —
      // seen while the server shuts down, after the append was committed — is an outage: answered
      // 503, and the client's retry with the same key gets the committed result.
      if (!isRefusal(error)) {
        if (error instanceof Error && error.name.startsWith('Mongo'))
          throw new EventStoreUnavailableError(error);
        throw error;
      }
      const replay = await this.replayOf<S>(opts.idempotencyKey, opts.requestHash);
      if (replay) return replay;
      throw error;
    }
  }

  private async replayOf<S>(
    key: string,
    requestHash: string | undefined,
  ): Promise<CommandResult<S> | undefined> {
    const replay = await this.store.replayByKey(key, requestHash);
    return replay ? this.replayed<S>(replay.streamId) : undefined;
  }

  /** The stream as it is now, answered for a request that had already been carried out. */
  private async replayed<S>(streamId: string): Promise<CommandResult<S>> {
    const loaded = await this.load<S>(streamId);
    return {
      streamId,
      state: loaded.state as S,
      version: loaded.version,
      replayed: true,
      appended: 0,
    };
  }

  private async attempt<S, C, E extends { type: string; data: object }>(
    streamId: string,
    decide: (state: S | null, command: C) => E[],
    command: C,
    opts: CommandOptions,
    useCache: boolean,
  ): Promise<CommandResult<S>> {
    const cached = useCache ? this.cache.get(streamId) : undefined;
    const { state, version, events } = opts.newStream
      ? { state: null, version: 0, events: [] as RecordedEvent[] }
      : ((cached as { state: S | null; version: number; events: RecordedEvent[] } | undefined) ??
        (await this.load<S>(streamId)));
    if (opts.ifMatch !== undefined && !opts.ifMatch.includes(version))
      throw new PreconditionFailedError(streamId, opts.ifMatch, version);
    const decided = decide(state, command);
    if (decided.length === 0) {
      const replay = opts.idempotencyKey
        ? await this.replayOf<S>(opts.idempotencyKey, opts.requestHash)
        : undefined;
      return replay ?? { streamId, state: state as S, version, replayed: true, appended: 0 };
    }
    const now = new Date();
    const newEvents = decided.map((e, i) => ({
      eventId: opts.eventIds?.(i) ?? randomUUID(),
      type: e.type,
      data: e.data as Record<string, unknown>,
    }));
    const result = await this.store.append(streamId, newEvents, {
      expectedVersion: version === 0 ? 'no-stream' : version,
      expectedVersionVerified: true,
      actor: opts.actor,
      idempotencyKey: opts.idempotencyKey,
      requestHash: opts.requestHash,
      now,
    });
    // The key, or the same events at that version, were already committed (the store's
    // streamId is the original's: a retried proposal generated a new id this time).
    if (result.replayed) return this.replayed<S>(result.streamId);
    const recorded: RecordedEvent[] = [
      ...events,
      ...newEvents.map((e, i) => ({
        ...e,
        streamId,
        version: version + i + 1,
        schemaVersion: 1,
        recordedAt: now,
        actor: opts.actor,
      })),
    ];
    const next = foldStream<S, E>(
      recorded,
      STREAM_KINDS[kindOf(streamId)].evolve as (s: S | null, e: E) => S,
      'skip',
    );
    await this.projection.applied(streamId, recorded, next, { created: version === 0 });
    this.remember(streamId, { state: next.state, version: result.nextVersion, events: recorded });
    return {
      streamId,
      state: next.state as S,
      version: result.nextVersion,
      replayed: false,
      appended: newEvents.length,
    };
  }

  /** Least recently written streams leave first (a Map iterates in insertion order). */
  private remember(streamId: string, loaded: Loaded): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, loaded);
    if (this.cache.size > CACHE_STREAMS) this.cache.delete(this.cache.keys().next().value!);
  }

  async load<S>(
    streamId: string,
    asOf?: Date,
  ): Promise<{ state: S | null; version: number; events: RecordedEvent[] }> {
    const events = await this.store.readStream(streamId, { asOf });
    const evolve = STREAM_KINDS[kindOf(streamId)].evolve as (s: S | null, e: unknown) => S;
    const { state, version, poisoned } = foldStream<S, unknown>(events, evolve, 'skip');
    if (poisoned.length) await this.projection.deadLetter(poisoned);
    return { state, version, events };
  }
}

function isRefusal(error: unknown): boolean {
  return (
    error instanceof DomainError ||
    error instanceof WrongExpectedVersionError ||
    error instanceof PreconditionFailedError
  );
}

function outcomeOf(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'WrongExpectedVersionError' || name === 'PreconditionFailedError') return 'conflict';
  if (name === 'EventStoreUnavailableError') return 'unavailable';
  return 'rejected';
}
