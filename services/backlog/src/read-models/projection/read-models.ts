import type { Connection } from 'mongoose';
import type { CeremonyState } from '../../domain/ceremonies/ceremony.types';
import type { ItemState } from '../../domain/items/item.types';
import type { ModelProfileState } from '../../domain/models/model-profile.types';
import type { StreamKind } from '../../domain/streams';
import { toCeremonyDocument } from '../ceremonies/ceremony.document';
import { toItemDocument } from '../items/item.document';
import { toModelProfileDocument } from '../model-profiles/model-profile.document';

export const ITEMS_VIEW = 'items_view';
export const CEREMONIES_VIEW = 'ceremonies_view';
export const PROJECTION_DEAD_LETTERS = 'projection_dead_letters';
export const PARKED_RELIABILITY_EVENTS = 'parked_reliability_events';
export const PROJECTION_REBUILDS = 'projection_rebuilds';
export const MODEL_STATUS_LATEST = 'model_status';
export const MODEL_STATUS_HOURLY = 'model_status_hourly';
export const PARKED_MODEL_STATUS = 'parked_model_status';
export const MODELS_VIEW = 'models_view';

/** Read-model indexes, created at start-up like the event store's. */
export async function ensureReadModelIndexes(connection: Connection): Promise<void> {
  const db = connection.db!;
  for (const name of [
    ITEMS_VIEW,
    CEREMONIES_VIEW,
    PROJECTION_DEAD_LETTERS,
    PARKED_RELIABILITY_EVENTS,
    PROJECTION_REBUILDS,
    MODEL_STATUS_LATEST,
    MODEL_STATUS_HOURLY,
    PARKED_MODEL_STATUS,
    MODELS_VIEW,
  ]) {
    await db.createCollection(name).catch(() => undefined);
  }
  await db
    .collection(ITEMS_VIEW)
    .createIndex({ backlog: 1, quadrant: 1, status: 1 }, { name: 'backlog_quadrant_status' });
  await db
    .collection(ITEMS_VIEW)
    .createIndex({ 'reliability.modelId': 1 }, { name: 'reliability_model' });
  await db.collection(CEREMONIES_VIEW).createIndex({ scheduledFor: 1 }, { name: 'scheduled_for' });
  await db
    .collection(MODEL_STATUS_HOURLY)
    .createIndex({ modelId: 1, hour: 1 }, { name: 'model_hour' });
}

/**
 * The read model each kind of stream is projected into, and how its document is made from the
 * aggregate's state: the projector writes `document(state)` and nothing else.
 */
export const PROJECTIONS: Record<StreamKind, { view: string; document: (state: never) => object }> =
  {
    item: { view: ITEMS_VIEW, document: (s: ItemState) => toItemDocument(s) },
    ceremony: { view: CEREMONIES_VIEW, document: (s: CeremonyState) => toCeremonyDocument(s) },
    model: { view: MODELS_VIEW, document: (s: ModelProfileState) => toModelProfileDocument(s) },
  };
