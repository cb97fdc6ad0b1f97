import type { ItemState } from '../../domain/items/item.types';
import type { ReadModelCollection, ReadModelProjection } from '../read-model';
import { toItemDocument } from './item.document';

export const ITEMS_VIEW = 'items_view';

export const itemsCollection: ReadModelCollection = {
  name: ITEMS_VIEW,
  indexes: [
    { key: { backlog: 1, quadrant: 1, status: 1 }, name: 'backlog_quadrant_status' },
    { key: { 'reliability.modelId': 1 }, name: 'reliability_model' },
  ],
};

export const itemsProjection: ReadModelProjection<ItemState> = {
  kind: 'item',
  view: ITEMS_VIEW,
  document: toItemDocument,
};
