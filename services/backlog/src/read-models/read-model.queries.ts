import { Inject, Injectable } from '@nestjs/common';
import { BACKLOG_CONFIG, type BacklogConfig } from '../config/backlog.config';
import { modelHealth, recommendedReliabilityShare } from '../domain/allocation/allocation-policy';
import { BACKLOGS, QUADRANTS } from '../domain/items/item.types';
import { isCriticalReliability } from '../domain/items/critical-reliability';
import { CeremoniesRepository } from './ceremonies/ceremonies.repository';
import { ItemsRepository, type ItemRecord } from './items/items.repository';

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

const ACTIVE = ['committed', 'in-progress'] as const;

/**
 * Questions that span the items and ceremonies read models — model health, the allocation, the
 * gauges' counts — answered through their repositories; the API and the Prometheus gauges share them.
 */
@Injectable()
export class ReadModelQueries {
  constructor(
    private readonly items: ItemsRepository,
    private readonly ceremonies: CeremoniesRepository,
    @Inject(BACKLOG_CONFIG) private readonly config: BacklogConfig,
  ) {}

  async models(): Promise<ModelHealthView[]> {
    {
      const items = await this.items.reliabilityItems();
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
    }
  }

  async allocation() {
    {
      const models = await this.models();
      const blockingModels = models.filter((m) => m.blocksAdoption).length;
      const recommended = recommendedReliabilityShare(blockingModels, this.config.allocationPolicy);
      const ceremonies = await this.ceremonies.withAllocation();
      const closed = ceremonies
        .filter((c) => c.status === 'closed')
        .sort((a, b) => ((a.closedAt ?? '') < (b.closedAt ?? '') ? 1 : -1));
      const latest = closed[0] ?? null;
      const draft = ceremonies.find((c) => c.status === 'open') ?? null;
      const active = await this.items.withStatus(ACTIVE);
      const effort = active.reduce((a, i) => a + i.scores.effort, 0);
      const share = (pick: (i: ItemRecord) => boolean) =>
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
    }
  }

  itemsByStatus(): Promise<{ backlog: string; quadrant: string; status: string; count: number }[]> {
    return this.items.countsByStatus();
  }

  /** Oldest open critical (or blocking) reliability item still proposed/ready/deferred: nobody took it on. */
  async oldestUnaddressedCritical(): Promise<{ itemId: string; createdAt: string } | null> {
    const items = await this.items.openIncidentsNotTakenOn();
    const critical = items.filter((i) => i.reliability && isCriticalReliability(i.reliability));
    critical.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    return critical[0] ? { itemId: critical[0].itemId, createdAt: critical[0].createdAt } : null;
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
