import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Filter } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Backlog, ItemStatus, Quadrant } from '../../domain/items/item.types';
import { guard } from '../../event-store/database-errors';
import { pageOf, type Page } from '../page';
import { ITEMS_VIEW } from './items.read-model';
import { versioned, type Stored, type Versioned } from '../versioned';
import type { ItemDocument } from './item.document';

export type ItemRecord = Versioned<ItemDocument>;

export interface ItemFilter {
  backlog?: Backlog;
  quadrant?: Quadrant;
  status?: ItemStatus;
  /** Items linked to this model. */
  model?: string;
}

/** Every read of the items read model. */
@Injectable()
export class ItemsRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get items(): Collection<Stored<ItemDocument>> {
    return this.connection.db!.collection<Stored<ItemDocument>>(ITEMS_VIEW);
  }

  /** Items matching the filter, in id order after `after`. */
  page(filter: ItemFilter, limit: number, after?: string): Promise<Page<ItemRecord>> {
    const query: Filter<Stored<ItemDocument>> = {};
    if (filter.backlog) query.backlog = filter.backlog;
    if (filter.quadrant) query.quadrant = filter.quadrant;
    if (filter.status) query.status = filter.status;
    if (filter.model) query.linkedModels = filter.model;
    return pageOf(this.items, query, limit, after);
  }

  byId(itemId: string): Promise<ItemRecord | null> {
    return guard(async () => {
      const doc = await this.items.findOne({ _id: itemId });
      return doc && versioned<ItemDocument>(doc);
    });
  }

  /** Every item, in id order (read page by page). */
  async all(): Promise<ItemRecord[]> {
    const out: ItemRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.page({}, 500, after);
      out.push(...page.items);
      if (!page.nextAfter) return out;
      after = page.nextAfter;
    }
  }

  /** The technical-debt items the audit opened for a model. */
  auditItems(modelId: string): Promise<ItemRecord[]> {
    return this.find({ 'audit.modelId': modelId });
  }

  /** Items that carry a reliability incident, open or resolved. */
  reliabilityItems(): Promise<ItemRecord[]> {
    return this.find({ reliability: { $ne: null } });
  }

  withStatus(statuses: readonly ItemStatus[]): Promise<ItemRecord[]> {
    return this.find({ status: { $in: [...statuses] } });
  }

  /** Items with an open incident that are still proposed, ready or deferred. */
  openIncidentsNotTakenOn(): Promise<ItemRecord[]> {
    return this.find({
      'reliability.open': true,
      status: { $in: ['proposed', 'ready', 'deferred'] },
    });
  }

  /** How many items sit in each backlog, quadrant and status. */
  countsByStatus(): Promise<
    { backlog: string; quadrant: string; status: string; count: number }[]
  > {
    return guard(async () => {
      const items = await this.items
        .find({}, { projection: { backlog: 1, quadrant: 1, status: 1 } })
        .toArray();
      const counts = new Map<string, number>();
      for (const i of items) {
        const key = `${i.backlog}|${i.quadrant}|${i.status}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts].map(([k, count]) => {
        const [backlog, quadrant, status] = k.split('|');
        return { backlog, quadrant, status, count };
      });
    });
  }

  private find(filter: Filter<Stored<ItemDocument>>): Promise<ItemRecord[]> {
    return guard(async () =>
      (await this.items.find(filter).toArray()).map((d) => versioned<ItemDocument>(d)),
    );
  }
}
