import type { ItemState } from '../../domain/items/item.types';

/**
 * The items read model: what the API, the brief and the gauges read about an item. Written from the
 * item's state by `toItemDocument`, so a field added to the aggregate reaches readers only when it
 * is added here on purpose.
 */
export interface ItemDocument {
  itemId: ItemState['itemId'];
  backlog: ItemState['backlog'];
  quadrant: ItemState['quadrant'];
  title: string;
  description: string;
  linkedModels: string[];
  scores: ItemState['scores'];
  priorityScore: number;
  status: ItemState['status'];
  reliability: ItemState['reliability'];
  createdAt: string;
  updatedAt: string;
  lastRationale: string | null;
  committedAt?: string;
  audit?: ItemState['audit'];
  scoresOverride?: ItemState['scoresOverride'];
}

export function toItemDocument(s: ItemState): ItemDocument {
  return {
    itemId: s.itemId,
    backlog: s.backlog,
    quadrant: s.quadrant,
    title: s.title,
    description: s.description,
    linkedModels: s.linkedModels,
    scores: s.scores,
    priorityScore: s.priorityScore,
    status: s.status,
    reliability: s.reliability,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    lastRationale: s.lastRationale,
    // Absent rather than undefined: the stored document and a rebuild's fold must compare equal.
    ...(s.committedAt !== undefined ? { committedAt: s.committedAt } : {}),
    ...(s.audit !== undefined ? { audit: s.audit } : {}),
    ...(s.scoresOverride !== undefined ? { scoresOverride: s.scoresOverride } : {}),
  };
}
