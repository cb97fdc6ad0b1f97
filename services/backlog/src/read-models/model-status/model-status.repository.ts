import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { ModelStatus } from '@fulcrum/contracts';
import type { Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { inFlight } from '@fulcrum/platform';
import { guard } from '../../event-store/database-errors';
import { MODEL_STATUS_HOURLY, MODEL_STATUS_LATEST } from './model-status.read-model';

/** Hourly history kept per model: 30 days of event time. */
export const STATUS_HISTORY_HOURS = 30 * 24;
const HOUR = 3_600_000;
/**
 * Conditional upserts in flight at once when a batch of statuses is written. Not one bulk write:
 * FerretDB 1.24 (PostgreSQL backend) stops at the first duplicate key of an unordered bulk and, with
 * a few dozen updates in one command, stops answering at all; single upserts, overlapped, are ~2.5
 * times faster than one after another there (16 in flight: 0.6 ms each against 1.5 ms).
 */
const WRITES_IN_FLIGHT = 16;

/** Start of the hour (event time) a status time falls in. */
const toHourly = (d: Document): HourlyStatus => ({
  modelId: d.modelId as string,
  hour: d.hour as string,
  status: d.status as ModelStatus,
});
const hourOf = (at: string) => new Date(Math.floor(Date.parse(at) / HOUR) * HOUR).toISOString();

export interface HourlyStatus {
  modelId: string;
  /** Start of the hour (event time, ISO). */
  hour: string;
  status: ModelStatus;
}

/**
 * The model-status read side: the latest status per model and the last status of every hour for
 * 30 days (about 1 KB per hour: ≈ 0.7 MB per model at most). Writes are conditional on the status
 * time, so redelivery and replay change nothing and an older status never overwrites a newer one.
 */
/** Per key, the status with the latest time (the first of equal times). */
function newestBy(
  statuses: readonly ModelStatus[],
  key: (s: ModelStatus) => string,
): ModelStatus[] {
  const out = new Map<string, ModelStatus>();
  for (const s of statuses) {
    const k = key(s);
    const seen = out.get(k);
    if (!seen || seen.at < s.at) out.set(k, s);
  }
  return [...out.values()];
}

/** Models whose cost-of-delay history one process keeps (a model's 30 days: ~70 KB). */
const COST_HISTORIES = 2_000;

@Injectable()
export class ModelStatusRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get db() {
    return this.connection.db!;
  }

  /** Returns whether anything changed (false for a duplicate or an older status). */
  async record(status: ModelStatus): Promise<boolean> {
    return (await this.recordMany([status])).applied > 0;
  }

  /**
   * A batch of statuses, as the intake receives them (a platform's models publish at the same
   * boundary): per model only its newest status is written as the latest, per (model, hour) only
   * the newest as that hour's, each write conditional on the status time, 16 in flight. Returns the
   * statuses that became their model's latest (what the audit must look at) and how many statuses
   * changed anything.
   */
  async recordMany(
    statuses: readonly ModelStatus[],
  ): Promise<{ latest: ModelStatus[]; applied: number }> {
    if (statuses.length === 0) return { latest: [], applied: 0 };
    return guard(async () => {
      const latest = newestBy(statuses, (s) => s.modelId);
      const hourly = newestBy(statuses, (s) => `${s.modelId}@${hourOf(s.at)}`);
      const writes = [
        ...latest.map((s) => ({
          collection: MODEL_STATUS_LATEST,
          id: s.modelId,
          status: s,
          fields: { modelId: s.modelId },
        })),
        ...hourly.map((s) => ({
          collection: MODEL_STATUS_HOURLY,
          id: `${s.modelId}@${hourOf(s.at)}`,
          status: s,
          fields: { modelId: s.modelId, hour: hourOf(s.at) },
        })),
      ];
      const outcomes = await inFlight(writes, WRITES_IN_FLIGHT, (w) =>
        this.newer(w.collection, w.id, w.status, w.fields),
      );
      // A new hour document may push the oldest out of the 30-day history; an update within the
      // hour cannot, so only inserts prune.
      const prune = new Map<string, number>();
      outcomes.forEach((o, i) => {
        if (o !== 'inserted' || writes[i].collection !== MODEL_STATUS_HOURLY) return;
        const at = Date.parse(writes[i].status.at);
        prune.set(
          writes[i].status.modelId,
          Math.max(at, prune.get(writes[i].status.modelId) ?? at),
        );
      });
      await inFlight([...prune], WRITES_IN_FLIGHT, ([modelId, at]) =>
        this.db.collection(MODEL_STATUS_HOURLY).deleteMany({
          modelId,
          hour: { $lt: new Date(at - STATUS_HISTORY_HOURS * HOUR).toISOString() },
        }),
      );
      const changed = new Set<ModelStatus>();
      outcomes.forEach((o, i) => o !== 'unchanged' && changed.add(writes[i].status));
      return {
        latest: latest.filter((_, i) => outcomes[i] !== 'unchanged'),
        applied: changed.size,
      };
    });
  }

  /** Writes `status` under `_id` unless a status at the same or a later time is there. */
  private async newer(
    collection: string,
    id: string,
    status: ModelStatus,
    fields: Record<string, string>,
  ): Promise<'inserted' | 'updated' | 'unchanged'> {
    try {
      const r = await this.db
        .collection(collection)
        .updateOne(
          { _id: id as never, at: { $lt: status.at } },
          { $set: { ...fields, at: status.at, status } },
          { upsert: true },
        );
      return r.upsertedCount > 0 ? 'inserted' : r.modifiedCount > 0 ? 'updated' : 'unchanged';
    } catch (error) {
      // The document exists with the same or a newer status: the upsert's insert collides.
      if ((error as { code?: number }).code === 11000) return 'unchanged';
      throw error;
    }
  }

  async latest(): Promise<ModelStatus[]> {
    return guard(async () => {
      const docs = await this.db.collection(MODEL_STATUS_LATEST).find({}).toArray();
      return docs.map((d) => d.status as ModelStatus);
    });
  }

  async latestOf(modelId: string): Promise<ModelStatus | null> {
    return guard(async () => {
      const doc = await this.db.collection(MODEL_STATUS_LATEST).findOne({ _id: modelId as never });
      return (doc?.status as ModelStatus | undefined) ?? null;
    });
  }

  /**
   * Cost-of-delay histories already read, per model (least recently used dropped beyond
   * COST_HISTORIES): a brief at 200 models re-read ~50,000 hourly documents each time, most of them
   * unchanged since the last read.
   */
  private readonly costHistories = new Map<string, { from: string; points: HourlyStatus[] }>();

  /**
   * `hourlyForCost`, read incrementally: what is held is reused and only the hours from the last
   * one held up to `latestAt` (the model's latest status) are read again, each by its id — FerretDB
   * answers an id from its index, a range over `hour` by reading the model's every document. An
   * hour older than the last one held is only rewritten by a status that arrived more than an hour
   * late; it shows once the history is read whole again (a restart, an eviction, or a gap of more
   * than two days).
   */
  async historyForCost(
    modelId: string,
    from: string,
    latestAt: string | undefined,
  ): Promise<HourlyStatus[]> {
    const fromHour = new Date(Math.floor(Date.parse(from) / HOUR) * HOUR).toISOString();
    const held = this.costHistories.get(modelId);
    const last = held?.points.at(-1)?.hour;
    const upTo = latestAt ? Math.floor(Date.parse(latestAt) / HOUR) * HOUR : NaN;
    let points: HourlyStatus[];
    let heldFrom = fromHour;
    if (
      !held ||
      held.from > fromHour ||
      !last ||
      !(upTo >= Date.parse(last)) ||
      upTo - Date.parse(last) > 48 * HOUR
    ) {
      points = await this.hourlyForCost(modelId, fromHour);
    } else {
      const fresh: HourlyStatus[] = [];
      for (let t = Date.parse(last); t <= upTo; t += HOUR) {
        const hour = new Date(t).toISOString();
        const doc = await guard(() =>
          this.db.collection(MODEL_STATUS_HOURLY).findOne(
            { _id: `${modelId}@${hour}` as never },
            {
              projection: {
                'status.lastHour': 1,
                'status.accuracy': 1,
                'status.estimatedAccuracy': 1,
              },
            },
          ),
        );
        if (doc) fresh.push({ modelId, hour, status: doc.status as ModelStatus });
      }
      points = [...held.points.filter((p) => p.hour < last), ...fresh];
      heldFrom = held.from;
    }
    this.costHistories.delete(modelId);
    this.costHistories.set(modelId, { from: heldFrom, points });
    if (this.costHistories.size > COST_HISTORIES)
      this.costHistories.delete(this.costHistories.keys().next().value!);
    return points.filter((p) => p.hour >= fromHour);
  }

  /**
   * The hourly history cost of delay is summed over: only the parts of each status it reads (the
   * last hour's traffic and ratios, measured and estimated accuracy). A whole status is ~1 KB of
   * JSON the database turns back into BSON; at 30 days × hundreds of models that decoding, not
   * the lookup, is what a read costs.
   */
  async hourlyForCost(modelId: string, from?: string): Promise<HourlyStatus[]> {
    return guard(async () => {
      const filter: Record<string, unknown> = { modelId };
      if (from)
        filter.hour = { $gte: new Date(Math.floor(Date.parse(from) / HOUR) * HOUR).toISOString() };
      const docs = await this.db
        .collection(MODEL_STATUS_HOURLY)
        .find(filter)
        .project({
          modelId: 1,
          hour: 1,
          'status.lastHour': 1,
          'status.accuracy': 1,
          'status.estimatedAccuracy': 1,
        })
        .sort({ hour: 1 })
        .toArray();
      return docs.map(toHourly);
    });
  }

  /** The model's hourly history between two event times, oldest first. */
  async hourly(modelId: string, from?: string, to?: string): Promise<HourlyStatus[]> {
    return guard(async () => {
      const hour: Record<string, string> = {};
      if (from) hour.$gte = new Date(Math.floor(Date.parse(from) / HOUR) * HOUR).toISOString();
      if (to) hour.$lte = to;
      const docs = await this.db
        .collection(MODEL_STATUS_HOURLY)
        .find({ modelId, ...(from || to ? { hour } : {}) })
        .sort({ hour: 1 })
        .toArray();
      return docs.map(toHourly);
    });
  }
}
