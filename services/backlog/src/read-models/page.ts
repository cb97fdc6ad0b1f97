import type { Collection, Filter } from 'mongodb';
import { guard } from '../event-store/database-errors';
import { versioned, type Stored, type Versioned } from './versioned';

export interface Page<T> {
  items: T[];
  /** The last id of this page when another follows (the API turns it into a cursor). */
  nextAfter: string | null;
}

/** One page of a read model in id order after `after`: keyset pagination on `_id`. */
export function pageOf<D extends object>(
  collection: Collection<Stored<D>>,
  filter: Filter<Stored<D>>,
  limit: number,
  after?: string,
): Promise<Page<Versioned<D>>> {
  return guard(async () => {
    const query = after ? { $and: [filter, { _id: { $gt: after } }] } : filter;

    const docs = await collection
      .find(query as Filter<Stored<D>>)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .toArray();
    const more = docs.length > limit;
    return {
      items: docs.slice(0, limit).map((d) => versioned<D>(d)),
      nextAfter: more ? String(docs[limit - 1]._id) : null,
    };
  });
}
