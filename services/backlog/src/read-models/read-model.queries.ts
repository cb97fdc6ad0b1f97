import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Document, Filter } from 'mongodb';
import { BACKLOG_CONFIG, type BacklogConfig } from '../config/backlog.config';
import { modelHealth, recommendedReliabilityShare } from '../domain/allocation/allocation-policy';
import type { CeremonyState } from '../domain/ceremonies/ceremony.types';
import type { ItemState } from '../domain/items/item.types';
import { BACKLOGS, QUADRANTS } from '../domain/items/item.types';
import { guard } from '../event-store/database-errors';
import { CEREMONIES_VIEW, ITEMS_VIEW } from '../read-models/read-model-names';
import { isCriticalReliability } from '../domain/items/critical-reliability';

export type ItemView = ItemState & { _version: number };
export type CeremonyView = CeremonyState & { _version: number };

export interface ModelHealthView {
  modelId: string;
  health: number;
  blocksAdoption: boolean;
  openIncidents: {
    incidentId: string;
    rule: string;
    severity: string;
    blocksAdoption: boolean;
    itemId: string;
    observed: number;
    threshold: number;
    openedAt: string;
  }[];
  resolvedIncidents: number;
}

export interface Page<T> {
  items: T[];
  /** The last id of this page when another follows (the API turns it into a cursor). */
  nextAfter: string | null;
}

const ACTIVE = ['committed', 'in-progress'];

/** Queries over the read models; the API and the Prometheus gauges share them. */
@Injectable()
export class ReadModelQueries {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(BACKLOG_CONFIG) private readonly config: BacklogConfig,
  ) {}

  private get db() {
    return this.connection.db!;
  }

  /** The technical-debt items the audit opened for a model. */
  auditItems(modelId: string): Promise<ItemView[]> {
    return guard(
      async () =>
        (await this.db
          .collection(ITEMS_VIEW)
          .find({ 'audit.modelId': modelId })
          .toArray()) as unknown as ItemView[],
    );
  }

  /** Items, filtered, in id order after `after`. */
  itemsPage(filter: Filter<Document>, limit: number, after?: string): Promise<Page<ItemView>> {
    return this.page<ItemView>(ITEMS_VIEW, filter, limit, after);
  }

  /** Ceremonies in id order after `after`. */
  ceremoniesPage(limit: number, after?: string): Promise<Page<CeremonyView>> {
    return this.page<CeremonyView>(CEREMONIES_VIEW, {}, limit, after);
  }

  private async page<T>(
    view: string,
    filter: Filter<Document>,
    limit: number,
    after?: string,
  ): Promise<Page<T>> {
    return guard(async () => {
      const query = after ? { $and: [filter, { _id: { $gt: after } }] } : filter;
      const docs = await this.db
        .collection(view)
        .find(query as never)
        .sort({ _id: 1 })
        .limit(limit + 1)
        .toArray();
      const more = docs.length > limit;
      const items = docs.slice(0, limit).map(strip) as T[];
      return { items, nextAfter: more ? String(docs[limit - 1]._id) : null };
    });
  }

  async item(itemId: string): Promise<ItemView | null> {
    return guard(
      async () =>
        (await this.db.collection(ITEMS_VIEW).findOne({ _id: itemId as never })) as ItemView | null,
    );
  }

  async ceremony(id: string): Promise<CeremonyView | null> {
    return guard(
      async () =>
        (await this.db
          .collection(CEREMONIES_VIEW)
          .findOne({ _id: id as never })) as CeremonyView | null,
    );
  }

  async models(): Promise<ModelHealthView[]> {
    return guard(async () => {
      const items = (await this.db
        .collection(ITEMS_VIEW)
        .find({ reliability: { $ne: null } })
        .toArray()) as unknown as ItemView[];
      const byModel = new Map<string, ModelHealthView>();
      for (const item of items) {
        const r = item.reliability!;
        let m = byModel.get(r.modelId);
        if (!m)
          byModel.set(
            r.modelId,
            (m = {
              modelId: r.modelId,
              health: 1,
              blocksAdoption: false,
              openIncidents: [],
              resolvedIncidents: 0,
            }),
          );
        if (r.open) {
          m.openIncidents.push({
            incidentId: r.incidentId,
            rule: r.rule,
            severity: r.severity,
            blocksAdoption: r.blocksAdoption,
            itemId: item.itemId,
            observed: r.observed,
            threshold: r.threshold,
            openedAt: r.openedAt,
          });
          m.blocksAdoption ||= r.blocksAdoption;
        } else {
          m.resolvedIncidents++;
        }
      }
      for (const m of byModel.values()) m.health = modelHealth(m.openIncidents);
      return [...byModel.values()].sort((a, b) => (a.modelId < b.modelId ? -1 : 1));
    });
  }

  async allocation() {
    return guard(async () => {
      const models = await this.models();
      const blockingModels = models.filter((m) => m.blocksAdoption).length;
      const recommended = recommendedReliabilityShare(blockingModels, this.config.allocationPolicy);
      const ceremonies = (await this.db
        .collection(CEREMONIES_VIEW)
        .find({ allocation: { $ne: null } })
        .toArray()) as unknown as CeremonyView[];
      const closed = ceremonies
        .filter((c) => c.status === 'closed')
        .sort((a, b) => ((a.closedAt ?? '') < (b.closedAt ?? '') ? 1 : -1));
      const latest = closed[0] ?? null;
      const draft = ceremonies.find((c) => c.status === 'open') ?? null;
      const active = (await this.db
        .collection(ITEMS_VIEW)
        .find({ status: { $in: ACTIVE } })
        .toArray()) as unknown as ItemView[];
      const effort = active.reduce((a, i) => a + i.scores.effort, 0);
      const share = (pick: (i: ItemView) => boolean) =>
        effort
          ? round((100 * active.filter(pick).reduce((a, i) => a + i.scores.effort, 0)) / effort)
          : 0;
      const actual = {
        byBacklog: Object.fromEntries(BACKLOGS.map((b) => [b, share((i) => i.backlog === b)])),
        byQuadrant: Object.fromEntries(QUADRANTS.map((q) => [q, share((i) => i.quadrant === q)])),
        effortPoints: effort,
      };
      const planned = latest
        ? { ceremonyId: latest.ceremonyId, closedAt: latest.closedAt, ...latest.allocation! }
        : null;
      return {
        recommended: {
          reliabilityPercent: recommended,
          blockingModels,
          policy: this.config.allocationPolicy,
        },
        planned,
        draft: draft?.allocation ? { ceremonyId: draft.ceremonyId, ...draft.allocation } : null,
        actual,
        deviation: planned
          ? {
              plannedMinusRecommendedPercent: round(planned.byBacklog.reliability - recommended),
              rationale: planned.deviationRationale,
            }
          : null,
        lastCeremonyClosedAt: latest?.closedAt ?? null,
      };
    });
  }

  async itemsByStatus(): Promise<
    { backlog: string; quadrant: string; status: string; count: number }[]
  > {
    return guard(async () => {
      const items = await this.db
        .collection(ITEMS_VIEW)
        .find(
          {},
          { projection: { backlog: 1, quadrant: 1, status: 1, reliability: 1, createdAt: 1 } },
        )
        .toArray();
      const counts = new Map<string, number>();
      for (const i of items) {
        const key = `${String(i.backlog)}|${String(i.quadrant)}|${String(i.status)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts].map(([k, count]) => {
        const [backlog, quadrant, status] = k.split('|');
        return { backlog, quadrant, status, count };
      });
    });
  }

  /** Oldest open critical (or blocking) reliability item still proposed/ready/deferred: nobody took it on. */
  async oldestUnaddressedCritical(): Promise<{ itemId: string; createdAt: string } | null> {
    return guard(async () => {
      const items = (await this.db
        .collection(ITEMS_VIEW)
        .find({ 'reliability.open': true, status: { $in: ['proposed', 'ready', 'deferred'] } })
        .toArray()) as unknown as ItemView[];
      const critical = items.filter((i) => i.reliability && isCriticalReliability(i.reliability));
      critical.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
      return critical[0] ? { itemId: critical[0].itemId, createdAt: critical[0].createdAt } : null;
    });
  }
}

function strip<T extends Document>(doc: T): Omit<T, '_id' | '_stream'> {
  const { _id: _ignored, _stream: _s, ...rest } = doc;
  return rest;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

export type { ItemState };
