import { evolveCeremony } from './ceremonies/ceremony.evolve';
import { evolveItem } from './items/item.evolve';
import { evolveModelProfile } from './models/model-profile.evolve';

/**
 * The aggregates' streams: how a stream id is named and which evolve folds it. The one place that
 * knows `item-<id>`, `ceremony-<id>` and `model-<modelId>`; the write side and every read model use it.
 */
export const STREAM_KINDS = {
  item: {
    prefix: 'item-',
    evolve: evolveItem as (s: unknown, e: unknown) => unknown,
    idOf: (s: { itemId: string }) => s.itemId,
  },
  ceremony: {
    prefix: 'ceremony-',
    evolve: evolveCeremony as (s: unknown, e: unknown) => unknown,
    idOf: (s: { ceremonyId: string }) => s.ceremonyId,
  },
  model: {
    prefix: 'model-',
    evolve: evolveModelProfile as (s: unknown, e: unknown) => unknown,
    idOf: (s: { modelId: string }) => s.modelId,
  },
} as const;

export type StreamKind = keyof typeof STREAM_KINDS;

export function kindOf(streamId: string): StreamKind {
  if (streamId.startsWith(STREAM_KINDS.item.prefix)) return 'item';
  if (streamId.startsWith(STREAM_KINDS.ceremony.prefix)) return 'ceremony';
  if (streamId.startsWith(STREAM_KINDS.model.prefix)) return 'model';
  throw new Error(`unknown stream kind: ${streamId}`);
}

export const itemStream = (itemId: string) => `${STREAM_KINDS.item.prefix}${itemId}`;
export const ceremonyStream = (ceremonyId: string) =>
  `${STREAM_KINDS.ceremony.prefix}${ceremonyId}`;
export const modelStream = (modelId: string) => `${STREAM_KINDS.model.prefix}${modelId}`;
