import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_STATUS_THRESHOLDS } from '@fulcrum/contracts';
import { BACKLOG_CONFIG, type BacklogConfig } from '../config/backlog.config';
import { CeremoniesRepository } from '../read-models/ceremonies/ceremonies.repository';
import { ImpactQueries } from '../read-models/impact.queries';
import { ItemsRepository } from '../read-models/items/items.repository';
import { ModelStatusRepository } from '../read-models/model-status/model-status.repository';
import { ReadModelQueries } from '../read-models/read-model.queries';
import { AuditService } from './audit.service';
import {
  allocationSection,
  auditSection,
  briefWindow,
  byStake,
  candidatesSection,
  ceremonySection,
  decisionsSection,
  healthSection,
  previousSection,
  summarySection,
  trendHorizon,
  trendOf,
  valueAtRiskSection,
  type EnrichedItem,
  type HourlyPoint,
} from './brief/brief-sections';
import type { Brief, BriefTrends } from './brief/brief.types';

export type { Brief, BriefTrends, Candidate, TrendPoint } from './brief/brief.types';

/**
 * Models whose hourly trends the brief carries by default: the page's first charts and some room
 * for a filter. At 200 models × 14 days every trend would be ~67,000 points (~9 MB of JSON and as
 * many documents read); the rest are read on demand from …/brief/trends.
 */
export const DEFAULT_BRIEF_TRENDS = 12;
export const MAX_BRIEF_TRENDS = 200;

/**
 * Model trends are read this many at a time: each is an equality lookup on (model, hour) that the
 * database answers from its index, where one `$in` over every model is not (FerretDB 1.x pushes
 * plain equality filters down to PostgreSQL, not `$in`).
 */
const TREND_READS_IN_FLIGHT = 8;

/**
 * Builds the ceremony brief from the read models: the same content the page shows, the JSON and the
 * Markdown forms give. Reads everything first (independent reads together), then each section is a
 * pure builder in brief/brief-sections. Read-only; everything it shows is also reachable through
 * the other endpoints.
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

  async build(ceremonyId: string, trends = DEFAULT_BRIEF_TRENDS): Promise<Brief | null> {
    const [ceremony, all] = await Promise.all([
      this.ceremonyDocs.byId(ceremonyId),
      this.ceremonyDocs.all(),
    ]);
    if (!ceremony) return null;
    const { previous, since } = briefWindow(ceremony, all);
    const [models, items, allocation, audits] = await Promise.all([
      this.impact.models(),
      this.itemDocs.all(),
      this.queries.allocation(),
      this.audits.auditAll(),
    ]);
    const enriched = (await this.impact.enrich(items)) as EnrichedItem[];
    const hourly = await this.trends(
      [...models]
        .sort(byStake)
        .slice(0, trends)
        .map((m) => [m.modelId, trendHorizon(m, ceremony.cadenceDays, since)]),
    );
    const sections = {
      health: healthSection(models, hourly),
      valueAtRisk: valueAtRiskSection(models, enriched),
      allocation: allocationSection(ceremony, allocation, all),
      candidates: candidatesSection(enriched),
      previous: previousSection(previous, enriched),
    };
    const decisions = decisionsSection(ceremony, enriched);
    return {
      ceremony: ceremonySection(ceremony),
      since,
      currency: this.config.currency,
      summary: summarySection(sections, decisions, enriched),
      ...sections,
      thresholds: { ...DEFAULT_STATUS_THRESHOLDS },
      audit: auditSection(audits, enriched),
      decisions,
    };
  }

  /**
   * The hourly trends of the named models as the brief of this ceremony shows them (same horizon);
   * null when the ceremony does not exist. Unknown models are left out.
   */
  async trendsFor(ceremonyId: string, modelIds: string[]): Promise<BriefTrends | null> {
    const [ceremony, all] = await Promise.all([
      this.ceremonyDocs.byId(ceremonyId),
      this.ceremonyDocs.all(),
    ]);
    if (!ceremony) return null;
    const { since } = briefWindow(ceremony, all);
    const wanted = new Set(modelIds);
    const models = (await this.impact.models()).filter((m) => wanted.has(m.modelId));
    const hourly = await this.trends(
      models.map((m) => [m.modelId, trendHorizon(m, ceremony.cadenceDays, since)]),
    );
    return {
      items: modelIds
        .filter((id) => hourly.has(id))
        .map((modelId) => ({ modelId, trend: trendOf(hourly.get(modelId)!) })),
    };
  }

  /** Each model's hourly statuses from its horizon on, a bounded number of reads in flight. */
  private async trends(horizons: [string, string][]): Promise<Map<string, HourlyPoint[]>> {
    const out = new Map<string, HourlyPoint[]>();
    let next = 0;
    const worker = async () => {
      while (next < horizons.length) {
        const [modelId, from] = horizons[next++];
        out.set(modelId, await this.statuses.hourly(modelId, from));
      }
    };
    await Promise.all(Array.from({ length: TREND_READS_IN_FLIGHT }, worker));
    return out;
  }
}
