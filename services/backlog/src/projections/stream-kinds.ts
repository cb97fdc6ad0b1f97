import { evolveCeremony } from '../domain/ceremonies/ceremony.evolve';
import { evolveItem } from '../domain/items/item.evolve';
import { CEREMONIES_VIEW, ITEMS_VIEW } from './read-models';

/** Stream id prefixes and how each kind of stream becomes a read-model document. */
export const STREAM_KINDS = {
  item: {
    prefix: 'item-',
    view: ITEMS_VIEW,
    evolve: evolveItem as (s: unknown, e: unknown) => unknown,
    idOf: (s: { itemId: string }) => s.itemId,
  },
  ceremony: {
    prefix: 'ceremony-',
    view: CEREMONIES_VIEW,
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
