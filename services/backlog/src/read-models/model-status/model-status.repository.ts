import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { ModelStatus } from '@fulcrum/contracts';
import type { Connection } from 'mongoose';
import { guard } from '../../event-store/database-errors';
import { MODEL_STATUS_HOURLY, MODEL_STATUS_LATEST } from './model-status.read-model';

/** Hourly history kept per model: 30 days of event time. */
export const STATUS_HISTORY_HOURS = 30 * 24;
const HOUR = 3_600_000;

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
@Injectable()
export class ModelStatusRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get db() {
    return this.connection.db!;
  }

  /** Returns whether anything changed (false for a duplicate or an older status). */
  async record(status: ModelStatus): Promise<boolean> {
    return guard(async () => {
      const at = Date.parse(status.at);
      const hourStart = new Date(Math.floor(at / HOUR) * HOUR).toISOString();
      const latest = await this.newer(MODEL_STATUS_LATEST, status.modelId, status, {
        modelId: status.modelId,
      });
      const hourly = await this.newer(
        MODEL_STATUS_HOURLY,
        `${status.modelId}@${hourStart}`,
        status,
        { modelId: status.modelId, hour: hourStart },
      );
      if (hourly) {
        const horizon = new Date(at - STATUS_HISTORY_HOURS * HOUR).toISOString();
        await this.db
          .collection(MODEL_STATUS_HOURLY)
          .deleteMany({ modelId: status.modelId, hour: { $lt: horizon } });
      }
      return latest || hourly;
    });
  }

  /** Writes `status` under `_id` unless a status at the same or a later time is there. */
  private async newer(
    collection: string,
    id: string,
    status: ModelStatus,
    fields: Record<string, string>,
  ): Promise<boolean> {
    try {
      const r = await this.db
        .collection(collection)
        .updateOne(
          { _id: id as never, at: { $lt: status.at } },
          { $set: { ...fields, at: status.at, status } },
          { upsert: true },
        );
      return r.modifiedCount + r.upsertedCount > 0;
    } catch (error) {
      // The document exists with the same or a newer status: the upsert's insert collides.
      if ((error as { code?: number }).code === 11000) return false;
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
      return docs.map((d) => ({
        modelId: d.modelId as string,
        hour: d.hour as string,
        status: d.status as ModelStatus,
      }));
    });
  }
}
