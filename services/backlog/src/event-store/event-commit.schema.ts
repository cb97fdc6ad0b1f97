import { Schema } from 'mongoose';

/**
 * One append = one commit document = one atomic single-document insert (no multi-document
 * transactions, which FerretDB lacks). `_id` is `<streamId>@<firstVersion>`, so two appends at the
 * same expected version collide on the primary key and exactly one wins. `idem` holds the
 * Idempotency-Key (or a per-commit unique default) under a unique index.
 */
export interface EventCommitDoc {
  _id: string;
  streamId: string;
  firstVersion: number;
  lastVersion: number;
  idem: string;
  requestHash?: string;
  committedAt: Date;
  events: {
    eventId: string;
    type: string;
    schemaVersion: number;
    data: Record<string, unknown>;
    recordedAt: Date;
    actor: string;
  }[];
}

export const EVENT_COMMITS_COLLECTION = 'event_commits';

export const EventCommitSchema = new Schema<EventCommitDoc>(
  {
    _id: { type: String, required: true },
    streamId: { type: String, required: true },
    firstVersion: { type: Number, required: true },
    lastVersion: { type: Number, required: true },
    idem: { type: String, required: true },
    requestHash: { type: String },
    committedAt: { type: Date, required: true },
    events: [
      {
        _id: false,
        eventId: { type: String, required: true },
        type: { type: String, required: true },
        schemaVersion: { type: Number, required: true },
        data: { type: Schema.Types.Mixed, required: true },
        recordedAt: { type: Date, required: true },
        actor: { type: String, required: true },
      },
    ],
  },
  { collection: EVENT_COMMITS_COLLECTION, versionKey: false, minimize: false, autoIndex: false },
);

EventCommitSchema.index({ streamId: 1, firstVersion: 1 }, { unique: true, name: 'stream_version' });
EventCommitSchema.index({ idem: 1 }, { unique: true, name: 'idempotency_key' });
