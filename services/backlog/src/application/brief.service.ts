import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_STATUS_THRESHOLDS,
  statusThresholds,
  type StatusThresholds,
} from '@fulcrum/contracts';
import { BACKLOG_CONFIG, type BacklogConfig } from '../config/backlog.config';
import type { Decision } from '../domain/ceremonies/ceremony.types';
import { QUADRANTS, type Quadrant } from '../domain/items/item.types';
import { ImpactQueries, type ItemImpact } from '../read-models/impact.queries';
import { ModelStatusRepository } from '../read-models/model-status/model-status.repository';
import { CeremoniesRepository } from '../read-models/ceremonies/ceremonies.repository';
import { ItemsRepository, type ItemRecord } from '../read-models/items/items.repository';
import { ReadModelQueries } from '../read-models/read-model.queries';
import { AuditService } from './audit.service';

const DAY = 86_400_000;

/** One point of a model's hourly trend (event time), with the values the rules judge. */
export interface TrendPoint {
  hour: string;
  accuracy: number | null;
  errorRatio: number;
  slowRatio: number;
  driftScore: number;
}

export interface Candidate {
  itemId: string;
  title: string;
  backlog: string;
  status: string;
  priorityScore: number;
  scores: Record<string, number>;
  explanation: string[];
}

/** What the team decides on: the seven parts of the ceremony brief (the README, "The ceremony brief"). */
export interface Brief {
  ceremony: {
    ceremonyId: string;
    title: string;
    status: string;
    scheduledFor: string;
    cadenceDays: number;
    openedAt: string | null;
    closedAt: string | null;
    version: number;
    recommendedReliabilityShare: number | null;
  };
  /** Health and decisions are shown since this time: the previous ceremony's close (or 14 days). */
  since: string;
  currency: string;
  health: {
    modelId: string;
    blocksAdoption: boolean;
    why: string[];
    openIncidents: { rule: string; severity: string; itemId: string }[];
    trend: TrendPoint[];
    /** The lines ingestion judges this model by (its rules file), from its latest status. */
    thresholds: StatusThresholds;
  }[];
  /** The rules' defaults; a model judged by other values carries its own in `health[].thresholds`. */
  thresholds: StatusThresholds;
  valueAtRisk: {
    models: { modelId: string; perHour: number | null; costOfDelay: number | null }[];
    items: {
      itemId: string;
      title: string;
      modelId: string;
      rule: string;
      perHour: number | null;
      costOfDelay: number | null;
    }[];
  };
  allocation: {
    planned: { byBacklog: Record<string, number>; deviationRationale: string | null } | null;
    actual: Record<string, number>;
    recommendedReliability: number;
    history: {
      ceremonyId: string;
      title: string;
      closedAt: string | null;
      reliability: number;
      deviationRationale: string | null;
    }[];
  };
  candidates: Record<Quadrant, Candidate[]>;
  previous: {
    ceremonyId: string;
    title: string;
    closedAt: string | null;
    outcomes: {
      itemId: string;
      title: string;
      decision: string;
      nowStatus: string;
      incidentResolved: boolean | null;
      costSince: number | null;
    }[];
  } | null;
  audit: {
    models: { modelId: string; coverage: number; failing: string[] }[];
    openDebtItems: { itemId: string; title: string; modelId: string; check: string }[];
  };
  decisions: Decision[];
}

/**
 * Builds the ceremony brief from the read models: the same content the page shows, the JSON and the
 * Markdown forms give. Read-only; everything it shows is also reachable through the other endpoints.
 */
@Injectable()
export class BriefService {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly itemDocs: ItemsRepository,
    private readonly ceremonyDocs: CeremoniesRepository,
    private readonly impact: ImpactQueries,
    private readonly statuses: ModelStatusRepository,
    private readonly audits: AuditService,
    @Inject(BACKLOG_CONFIG) private readonly config: BacklogConfig,
  ) {}

  /**
   * The ceremony to prepare next: the open one, else the earliest scheduled, else the latest. Only
   * one can be opened at a time; should two be open (opened in the same instant by two instances,
   * or before that rule existed) the one opened last is the one being held.
   */
  async nextCeremonyId(): Promise<string | null> {
    const all = await this.ceremonyDocs.all();
    const open = all
      .filter((c) => c.status === 'open')
      .sort((a, b) => (b.openedAt ?? '').localeCompare(a.openedAt ?? ''))[0];
    const scheduled = all
      .filter((c) => c.status === 'scheduled')
      .sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor))[0];
    return (
      (open ?? scheduled ?? all.sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor))[0])
        ?.ceremonyId ?? null
    );
  }

  async build(ceremonyId: string): Promise<Brief | null> {
    const ceremony = await this.ceremonyDocs.byId(ceremonyId);
    if (!ceremony) return null;
    const all = await this.ceremonyDocs.all();
    const closedBefore = all
      .filter(
        (c) =>
          c.status === 'closed' &&
          c.ceremonyId !== ceremonyId &&
          (c.closedAt ?? '') <= (ceremony.openedAt ?? ceremony.closedAt ?? '9999'),
      )
      .sort((a, b) => (a.closedAt ?? '').localeCompare(b.closedAt ?? ''));
    const previous = closedBefore.at(-1) ?? null;
    const since =
      previous?.closedAt ?? new Date(Date.parse(ceremony.scheduledFor) - 14 * DAY).toISOString();

    const models = await this.impact.models();
    const items = await this.itemDocs.all();
    const enriched = (await this.impact.enrich(items)) as (ItemRecord & { impact?: ItemImpact })[];
    const byId = new Map(enriched.map((i) => [i.itemId, i]));

    const health = [];
    for (const m of models) {
      // The trend covers one cadence of the model's own event time (up to its latest status): for
      // live telemetry that is the time since the last ceremony; for a replay it is still its data.
      const horizon = m.status
        ? new Date(Date.parse(m.status.at) - ceremony.cadenceDays * DAY).toISOString()
        : since;
      const history = await this.statuses.hourly(m.modelId, horizon);
      health.push({
        modelId: m.modelId,
        blocksAdoption: m.blocksAdoption,
        why: m.explanation,
        openIncidents: m.openIncidents.map((i) => ({
          rule: i.rule,
          severity: i.severity,
          itemId: i.itemId,
        })),
        trend: history.map((h) => ({
          hour: h.hour,
          accuracy: h.status.accuracy?.value ?? null,
          errorRatio: h.status.lastHour.errorRatio,
          slowRatio: h.status.lastHour.slowRatio,
          driftScore: h.status.drift.maxScore,
        })),
        thresholds: { ...statusThresholds(m.status) },
      });
    }

    const allocation = await this.queries.allocation();
    const candidates = Object.fromEntries(QUADRANTS.map((q) => [q, [] as Candidate[]])) as Record<
      Quadrant,
      Candidate[]
    >;
    for (const i of enriched) {
      if (['done', 'dropped'].includes(i.status)) continue;
      candidates[i.quadrant].push({
        itemId: i.itemId,
        title: i.title,
        backlog: i.backlog,
        status: i.status,
        priorityScore: i.priorityScore,
        scores: { ...i.scores },
        explanation: i.impact
          ? i.impact.derived.explanation.map((e) => `${e.subject} ${String(e.value)}: ${e.because}`)
          : [`scored by hand: ${i.lastRationale ?? 'no rationale'}`],
      });
    }
    for (const q of QUADRANTS) candidates[q].sort((a, b) => b.priorityScore - a.priorityScore);

    const outcomes = (previous?.decisions ?? []).map((d) => {
      const item = byId.get(d.itemId);
      const r = item?.reliability ?? null;
      const cost =
        d.decision === 'defer' && r && item?.impact ? item.impact.costOfDelay.amount : null;
      return {
        itemId: d.itemId,
        title: item?.title ?? d.itemId,
        decision: d.decision,
        nowStatus: item?.status ?? 'unknown',
        incidentResolved: r ? !r.open : null,
        costSince: cost,
      };
    });

    const audits = await this.audits.auditAll();
    return {
      ceremony: {
        ceremonyId: ceremony.ceremonyId,
        title: ceremony.title,
        status: ceremony.status,
        scheduledFor: ceremony.scheduledFor,
        cadenceDays: ceremony.cadenceDays,
        openedAt: ceremony.openedAt,
        closedAt: ceremony.closedAt,
        version: ceremony.version,
        recommendedReliabilityShare: ceremony.snapshot?.recommendedReliabilityShare ?? null,
      },
      since,
      currency: this.config.currency,
      health,
      thresholds: { ...DEFAULT_STATUS_THRESHOLDS },
      valueAtRisk: {
        models: models.map((m) => ({
          modelId: m.modelId,
          perHour: m.valueAtRisk.perHour,
          costOfDelay: m.costOfDelay,
        })),
        items: enriched
          .filter((i) => i.reliability?.open && i.impact)
          .map((i) => ({
            itemId: i.itemId,
            title: i.title,
            modelId: i.reliability!.modelId,
            rule: i.reliability!.rule,
            perHour: i.impact!.valueAtRisk.perHour,
            costOfDelay: i.impact!.costOfDelay.amount,
          }))
          .sort((a, b) => (b.costOfDelay ?? -1) - (a.costOfDelay ?? -1)),
      },
      allocation: {
        planned: ceremony.allocation
          ? {
              byBacklog: { ...ceremony.allocation.byBacklog },
              deviationRationale: ceremony.allocation.deviationRationale,
            }
          : null,
        actual: { ...allocation.actual.byBacklog },
        recommendedReliability: allocation.recommended.reliabilityPercent,
        history: all
          .filter((c) => c.status === 'closed' && c.allocation)
          .sort((a, b) => (a.closedAt ?? '').localeCompare(b.closedAt ?? ''))
          .map((c) => ({
            ceremonyId: c.ceremonyId,
            title: c.title,
            closedAt: c.closedAt,
            reliability: c.allocation!.byBacklog.reliability,
            deviationRationale: c.allocation!.deviationRationale,
          })),
      },
      candidates,
      previous: previous
        ? {
            ceremonyId: previous.ceremonyId,
            title: previous.title,
            closedAt: previous.closedAt,
            outcomes,
          }
        : null,
      audit: {
        models: audits.map((a) => ({
          modelId: a.modelId,
          coverage: a.coverage,
          failing: a.failing,
        })),
        openDebtItems: enriched
          .filter((i) => i.audit?.open)
          .map((i) => ({
            itemId: i.itemId,
            title: i.title,
            modelId: i.audit!.modelId,
            check: i.audit!.check,
          })),
      },
      decisions: ceremony.decisions,
    };
  }
}
