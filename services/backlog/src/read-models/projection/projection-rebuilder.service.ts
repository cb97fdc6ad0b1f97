import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { BACKLOG_CONFIG, type BacklogConfig } from '../../config/backlog.config';
import { foldStream } from '../../domain/fold-stream';
import { kindOf, STREAM_KINDS } from '../../domain/streams';
import { EventStoreRepository } from '../../event-store/event-store.repository';
import { projectionsOf, READ_MODEL_PROJECTIONS } from '../read-models.registry';
import { ProjectionMetrics } from './projection-metrics';
import { documentId, Projector } from './projector.service';

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
 * The bulk path beside the projector's inline one: re-folds every stream in the events' global order
 * and rewrites the read-model documents that differ, in batches, recovering from the documents an
 * inline projection wrote meanwhile.
 */
@Injectable()
export class ProjectionRebuilder {
  constructor(
    private readonly store: EventStoreRepository,
    private readonly projector: Projector,
    @InjectConnection() private readonly connection: Connection,
    @Inject(BACKLOG_CONFIG) private readonly config: BacklogConfig,
    private readonly metrics: ProjectionMetrics,
  ) {}

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
    for (const { view } of READ_MODEL_PROJECTIONS) {
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
      const { state, version, poisoned } = foldStream(
        list,
        STREAM_KINDS[kind].evolve,
        this.config.poisonPolicy,
      );
      poisonedCount += poisoned.length;
      await this.projector.deadLetter(poisoned);
      if (state === null) continue;
      const id = documentId(streamId, state);
      for (const { view, document } of projectionsOf(kind)) {
        const doc = { _id: id, ...document(state), _stream: streamId, _version: version };
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
