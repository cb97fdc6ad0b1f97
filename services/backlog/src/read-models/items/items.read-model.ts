import type { ItemState } from '../../domain/items/item.types';
import type { ReadModelCollection, ReadModelProjection } from '../read-model';
import { toItemDocument } from './item.document';

export const ITEMS_VIEW = 'items_view';

export const itemsCollection: ReadModelCollection = {
  name: ITEMS_VIEW,
  indexes: [
    { key: { backlog: 1, quadrant: 1, status: 1 }, name: 'backlog_quadrant_status' },
    { key: { 'reliability.modelId': 1 }, name: 'reliability_model' },
    // The audit reads a model's technical-debt items for every status the model publishes.
    { key: { 'audit.modelId': 1 }, name: 'audit_model' },
  ],
};

export const itemsProjection: ReadModelProjection<ItemState> = {
  kind: 'item',
  view: ITEMS_VIEW,
  document: toItemDocument,
};
