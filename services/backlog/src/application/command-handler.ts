import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventStoreRepository } from '../event-store/event-store.repository';
import type { RecordedEvent } from '../event-store/event-store.types';
import { BacklogMetrics } from '../observability/backlog-metrics';
import { Projector } from '../projections/projector.service';
import { foldStream } from '../projections/stream-folder';
import { kindOf, STREAM_KINDS } from '../projections/stream-kinds';

export class PreconditionFailedError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `If-Match names version ${expected} but ${streamId.replace(/^(item|ceremony)-/, '')} is at version ${actual}`,
    );
    this.name = 'PreconditionFailedError';
  }
}

export interface CommandOptions {
  actor: string;
  /** Version from If-Match, when the client sent one. */
  ifMatch?: number;
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

/**
 * Load → decide → append at the version the decision was made on → project. The expected version is
 * always the one loaded, so a concurrent writer turns this command into a conflict, never a lost
 * update.
 */
@Injectable()
export class CommandHandler {
  constructor(
    private readonly store: EventStoreRepository,
    private readonly projector: Projector,
    private readonly metrics: BacklogMetrics,
  ) {}

  async execute<S, C, E extends { type: string; data: object }>(
    streamId: string,
    name: string,
    decide: (state: S | null, command: C) => E[],
    command: C,
    opts: CommandOptions,
  ): Promise<CommandResult<S>> {
    try {
      if (opts.idempotencyKey) {
        const replay = await this.store.replayByKey(opts.idempotencyKey, opts.requestHash);
        if (replay) {
          const loaded = await this.load<S>(replay.streamId);
          this.metrics.commands.inc({ command: name, outcome: 'replayed' });
          return {
            streamId: replay.streamId,
            state: loaded.state as S,
            version: replay.nextVersion,
            replayed: true,
            appended: 0,
          };
        }
      }
      const { state, version, events } = opts.newStream
        ? { state: null, version: 0, events: [] as RecordedEvent[] }
        : await this.load<S>(streamId);
      if (opts.ifMatch !== undefined && opts.ifMatch !== version)
        throw new PreconditionFailedError(streamId, opts.ifMatch, version);
      const decided = decide(state, command);
      if (decided.length === 0) {
        this.metrics.commands.inc({ command: name, outcome: 'replayed' });
        return { streamId, state: state as S, version, replayed: true, appended: 0 };
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
      if (result.replayed) {
        const reloaded = await this.load<S>(streamId);
        this.metrics.commands.inc({ command: name, outcome: 'replayed' });
        return {
          streamId,
          state: reloaded.state as S,
          version: reloaded.version,
          replayed: true,
          appended: 0,
        };
      }
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
      await this.projector.project(streamId, recorded);
      const next = foldStream<S, E>(
        recorded,
        STREAM_KINDS[kindOf(streamId)].evolve as (s: S | null, e: E) => S,
        'skip',
      );
      this.metrics.commands.inc({ command: name, outcome: 'ok' });
      return {
        streamId,
        state: next.state as S,
        version: result.nextVersion,
        replayed: false,
        appended: newEvents.length,
      };
    } catch (error) {
      this.metrics.commands.inc({ command: name, outcome: outcomeOf(error) });
      throw error;
    }
  }

  async load<S>(
    streamId: string,
    asOf?: Date,
  ): Promise<{ state: S | null; version: number; events: RecordedEvent[] }> {
    const events = await this.store.readStream(streamId, { asOf });
    const evolve = STREAM_KINDS[kindOf(streamId)].evolve as (s: S | null, e: unknown) => S;
    const { state, version, poisoned } = foldStream<S, unknown>(events, evolve, 'skip');
    if (poisoned.length) await this.projector.deadLetter(poisoned);
    return { state, version, events };
  }
}

function outcomeOf(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'WrongExpectedVersionError' || name === 'PreconditionFailedError') return 'conflict';
  if (name === 'EventStoreUnavailableError') return 'unavailable';
  return 'rejected';
}
