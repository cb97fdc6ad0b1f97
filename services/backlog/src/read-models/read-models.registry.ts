import type { Connection } from 'mongoose';
import type { StreamKind } from '../domain/streams';
import { CeremoniesRepository } from './ceremonies/ceremonies.repository';
import { ceremoniesCollection, ceremoniesProjection } from './ceremonies/ceremonies.read-model';
import { ItemsRepository } from './items/items.repository';
import { ModelProfilesRepository } from './model-profiles/model-profiles.repository';
import { ModelStatusRepository } from './model-status/model-status.repository';
import { itemsCollection, itemsProjection } from './items/items.read-model';
import {
  modelProfilesCollection,
  modelProfilesProjection,
} from './model-profiles/model-profiles.read-model';
import { modelStatusCollections } from './model-status/model-status.read-model';
import { projectionCollections } from './projection/projection.collections';
import type { ReadModelCollection, ReadModelProjection } from './read-model';

/**
 * Every read model: adding one is its folder (document, read-model definition, repository) and its
 * lines here — projection, collection, repository; nothing else changes. Several may follow the
 * same stream kind.
 */
export const READ_MODEL_PROJECTIONS: readonly ReadModelProjection[] = [
  itemsProjection,
  ceremoniesProjection,
  modelProfilesProjection,
];

/** Provided and exported by ReadModelsModule. */
export const READ_MODEL_REPOSITORIES = [
  ItemsRepository,
  CeremoniesRepository,
  ModelProfilesRepository,
  ModelStatusRepository,
];

export const READ_MODEL_COLLECTIONS: readonly ReadModelCollection[] = [
  itemsCollection,
  ceremoniesCollection,
  modelProfilesCollection,
  ...modelStatusCollections,
  ...projectionCollections,
];

const byKind = new Map<StreamKind, ReadModelProjection<unknown>[]>();
for (const p of READ_MODEL_PROJECTIONS) {
  const list = byKind.get(p.kind) ?? [];
  list.push(p as unknown as ReadModelProjection<unknown>);
  byKind.set(p.kind, list);
}

/** The read models that follow one kind of stream. */
export function projectionsOf(kind: StreamKind): readonly ReadModelProjection<unknown>[] {
  return byKind.get(kind) ?? [];
}

/** Creates the collections and their indexes at start-up, as the event store does its own. */
export async function ensureCollections(
  connection: Connection,
  collections: readonly ReadModelCollection[],
): Promise<void> {
  const db = connection.db!;
  for (const { name, indexes } of collections) {
    await db.createCollection(name).catch(() => undefined);
    for (const index of indexes ?? [])
      await db.collection(name).createIndex(index.key, { name: index.name });
  }
}
