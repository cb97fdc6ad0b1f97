import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { BACKLOG_CONFIG, type BacklogConfig } from '../../config/backlog.config';
import { EventStoreRepository } from '../../event-store/event-store.repository';
import { guard } from '../../event-store/database-errors';
import type { RecordedEvent } from '../../event-store/event-store.types';
import { projectionsOf } from '../read-models.registry';
import { PROJECTION_DEAD_LETTERS } from './projection.collections';
import { ProjectionMetrics } from './projection-metrics';
import { foldStream, type Poisoned } from '../../domain/fold-stream';
import { kindOf, STREAM_KINDS, type StreamKind } from '../../domain/streams';

/**
 * Keeps the read models in step with the event store. Every write is conditional on the version it
 * brings (`version < new`), so applying a stream twice, or two instances racing, converges on the
 * same document: at-least-once delivery with an exactly-once result.
 */
@Injectable()
export class Projector {
  constructor(
    private readonly store: EventStoreRepository,
    @InjectConnection() private readonly connection: Connection,
    @Inject(BACKLOG_CONFIG) private readonly config: BacklogConfig,
    private readonly metrics: ProjectionMetrics,
  ) {}

  /** Re-folds one stream and writes its read model if it is newer than what is stored. */
  async project(
    streamId: string,
    events?: RecordedEvent[],
    opts: { created?: boolean } = {},
  ): Promise<void> {
    await guard(async () => {
      const all = events ?? (await this.store.readStream(streamId));
      const kind = kindOf(streamId);
      const { state, version, poisoned } = foldStream(
        all,
        STREAM_KINDS[kind].evolve,
        this.config.poisonPolicy,
      );
      await this.deadLetter(poisoned);
      if (state === null) return;
      await this.write(kind, streamId, version, state, opts.created === true);
    });
  }

  /**
   * The write side's fold of a stream after a command (see StreamProjection): written as it is,
   * unless the fold met a poisoned event — then this projection's own policy decides, by refolding.
   */
  async applied(
    streamId: string,
    events: RecordedEvent[],
    folded: { state: unknown; version: number; poisoned: Poisoned[] },
    opts: { created: boolean },
  ): Promise<void> {
    if (folded.poisoned.length > 0 || folded.state === null)
      return this.project(streamId, events, opts);
    await guard(() =>
      this.write(kindOf(streamId), streamId, folded.version, folded.state, opts.created),
    );
  }

  async deadLetter(poisoned: Poisoned[]): Promise<void> {
    for (const p of poisoned) {
      await this.connection.db!.collection(PROJECTION_DEAD_LETTERS).updateOne(
        { _id: p.event.eventId as never },
        {
          $setOnInsert: {
            streamId: p.event.streamId,
            version: p.event.version,
            type: p.event.type,
            reason: p.reason,
            policy: this.config.poisonPolicy,
            at: new Date(),
          },
        },
        { upsert: true },
      );
      this.metrics.poisonedEvents.inc();
    }
  }

  private async write(
    kind: StreamKind,
    streamId: string,
    version: number,
    state: unknown,
    created: boolean,
  ): Promise<void> {
    const id = documentId(streamId, state);
    for (const { view, document } of projectionsOf(kind)) {
      const doc = { ...document(state), _stream: streamId, _version: version };
      if (created) {
        // The stream was just created by this caller, so its read model cannot exist yet: a plain
        // insert costs one index probe where a conditional upsert must first look the document up
        // (a full scan on FerretDB). If something did write it meanwhile, fall through to the update.
        try {
          await this.connection.db!.collection(view).insertOne({ _id: id as never, ...doc });
          continue;
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
        }
      }
      try {
        await this.connection
          .db!.collection(view)
          .updateOne(
            { _id: id as never, _version: { $lt: version } },
            { $set: doc },
            { upsert: true },
          );
      } catch (error) {
        // The document exists at this version or a newer one: someone already applied it.
        if ((error as { code?: number }).code !== 11000) throw error;
      }
    }
  }
}

/** A read-model document is keyed by its aggregate's own id (itemId, ceremonyId, modelId). */
export function documentId(streamId: string, state: unknown): string {
  return (STREAM_KINDS[kindOf(streamId)].idOf as (s: unknown) => string)(state);
}
