import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { BACKLOG_CONFIG, type BacklogConfig } from '../../config/backlog.config';
import { EventStoreRepository } from '../../event-store/event-store.repository';
import { guard } from '../../event-store/database-errors';
import type { RecordedEvent } from '../../event-store/event-store.types';
import { BacklogMetrics } from '../../observability/backlog-metrics';
import { PROJECTIONS, PROJECTION_DEAD_LETTERS } from './read-models';
import { foldStream, type Poisoned } from '../../domain/fold-stream';
import { kindOf, STREAM_KINDS, type StreamKind } from '../../domain/streams';

interface WriteFailure {
  code: number;
  index: number;
}

export interface RebuildReport {
  streams: number;
  events: number;
  documentsChanged: number;
  poisoned: number;
  durationMs: number;
}

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
    private readonly metrics: BacklogMetrics,
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
    const { view } = PROJECTIONS[kind];
    const id = documentId(streamId, state);
    const doc = { ...documentOf(kind, state), _stream: streamId, _version: version };
    if (created) {
      // The stream was just created by this caller, so its read model cannot exist yet: a plain
      // insert costs one index probe where a conditional upsert must first look the document up
      // (a full scan on FerretDB). If something did write it meanwhile, fall through to the update.
      try {
        await this.connection.db!.collection(view).insertOne({ _id: id as never, ...doc });
        return;
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

  /**
   * Rebuilds every read model from the events in their global order, replacing documents that
   * differ. Reports how many changed: after a healthy run of inline projections, zero.
   */
  async rebuild(): Promise<RebuildReport> {
    const started = Date.now();
    const db = this.connection.db!;
    // One read of each view and batched writes: a rebuild costs a few round trips per thousand
    // streams instead of two per stream.
    const existing = new Map<string, string>();
    for (const { view } of Object.values(PROJECTIONS)) {
      for await (const doc of db.collection(view).find({}))
        existing.set(`${view}/${String(doc._id)}`, canonicalJson(doc));
    }
    const writes = new Map<string, AnyBulkWriteOperation[]>();
    const flush = async (view: string, force = false) => {
      const batch = writes.get(view) ?? [];
      if (batch.length === 0 || (!force && batch.length < 500)) return;
      writes.set(view, []);
      try {
        await db.collection(view).bulkWrite(batch, { ordered: false });
      } catch (error) {
        // An inline projection created some of the "missing" documents meanwhile: replace those.
        const raw = (error as { writeErrors?: WriteFailure | WriteFailure[] }).writeErrors;
        const failed = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
        if (!failed.length || failed.some((e) => e.code !== 11000)) throw error;
        await db.collection(view).bulkWrite(
          failed.map((e) => {
            const { _id, ...replacement } = (
              batch[e.index] as unknown as { insertOne: { document: Document & { _id: string } } }
            ).insertOne.document;
            return { replaceOne: { filter: { _id: _id as never }, replacement, upsert: true } };
          }),
          { ordered: false },
        );
      }
    };
    let streams = 0;
    let events = 0;
    let documentsChanged = 0;
    let poisonedCount = 0;
    for await (const list of this.store.readStreams()) {
      streams++;
      events += list.length;
      const streamId = list[0].streamId;
      const kind = kindOf(streamId);
      const { view } = PROJECTIONS[kind];
      const { state, version, poisoned } = foldStream(
        list,
        STREAM_KINDS[kind].evolve,
        this.config.poisonPolicy,
      );
      poisonedCount += poisoned.length;
      await this.deadLetter(poisoned);
      if (state === null) continue;
      const id = documentId(streamId, state);
      const doc = { _id: id, ...documentOf(kind, state), _stream: streamId, _version: version };
      const current = existing.get(`${view}/${id}`);
      if (current === canonicalJson(doc)) continue;
      documentsChanged++;
      const { _id: _ignored, ...replacement } = doc;
      const batch = writes.get(view) ?? [];
      // Missing documents are inserted: an upsert looks each one up first, which FerretDB answers
      // with a scan of the collection (quadratic over a rebuild of an empty view).
      batch.push(
        current === undefined
          ? { insertOne: { document: doc as Document } }
          : { replaceOne: { filter: { _id: id as never }, replacement, upsert: true } },
      );
      writes.set(view, batch);
      await flush(view);
    }
    for (const view of writes.keys()) await flush(view, true);
    this.metrics.rebuilds.inc();
    return {
      streams,
      events,
      documentsChanged,
      poisoned: poisonedCount,
      durationMs: Date.now() - started,
    };
  }
}

/** JSON with keys sorted at every depth: servers may reorder keys (FerretDB does), values must match. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

/** A read-model document is keyed by its aggregate's own id (itemId, ceremonyId, modelId). */
function documentId(streamId: string, state: unknown): string {
  return (STREAM_KINDS[kindOf(streamId)].idOf as (s: unknown) => string)(state);
}

function documentOf(kind: StreamKind, state: unknown): object {
  return (PROJECTIONS[kind].document as (s: unknown) => object)(state);
}
