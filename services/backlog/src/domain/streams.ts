import { evolveCeremony } from './ceremonies/ceremony.evolve';
import { evolveItem } from './items/item.evolve';

/**
 * The aggregates' streams: how a stream id is named and which evolve folds it. The one place that
 * knows `item-<id>` and `ceremony-<id>`; the write side and every read model use it.
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
} as const;

export type StreamKind = keyof typeof STREAM_KINDS;

export function kindOf(streamId: string): StreamKind {
  if (streamId.startsWith(STREAM_KINDS.item.prefix)) return 'item';
  if (streamId.startsWith(STREAM_KINDS.ceremony.prefix)) return 'ceremony';
  throw new Error(`unknown stream kind: ${streamId}`);
}

export const itemStream = (itemId: string) => `${STREAM_KINDS.item.prefix}${itemId}`;
export const ceremonyStream = (ceremonyId: string) =>
  `${STREAM_KINDS.ceremony.prefix}${ceremonyId}`;
