import { Inject, Injectable } from '@nestjs/common';
import type { ModelStatus, RuleName } from '@fulcrum/contracts';
import { BACKLOG_CONFIG, type BacklogConfig } from '../config/backlog.config';
import { auditModel, type Audit } from '../domain/audit/audit-checks';
import { costOfDelay } from '../domain/impact/cost-of-delay';
import {
  deriveDebtScores,
  deriveReliabilityScores,
  type Explanation,
} from '../domain/impact/derived-scores';
import { modelValueAtRisk, valueAtRisk, type ValueAtRisk } from '../domain/impact/value-at-risk';
import type { Scores } from '../domain/items/item.types';
import type { ModelProfile } from '../domain/models/model-profile.types';
import { inFlight } from '@fulcrum/platform';
import { guard } from '../event-store/database-errors';
import { ModelStatusRepository } from './model-status/model-status.repository';
import { ItemsRepository, type ItemRecord } from './items/items.repository';
import {
  ModelProfilesRepository,
  type ModelProfileRecord,
} from './model-profiles/model-profiles.repository';

/** What a reliability item's numbers are, with where they come from. */
/** History reads in flight while enriching: enough to overlap round trips, few enough for FerretDB. */
const HISTORY_READS_IN_FLIGHT = 8;

export interface ItemImpact {
  currency: string;
  valueAtRisk: ValueAtRisk;
  costOfDelay: { amount: number | null; hours: number; from: string; until: string };
  derived: { scores: Scores; priorityScore: number; explanation: Explanation[] };
  /** The scores that rank the item: derived, unless a person overrode them (recorded as an event). */
  effective: 'derived' | 'override';
}

/** A technical-debt item's numbers: scores derived from the model's tier and value. */
export interface DebtImpact {
  currency: string;
  derived: { scores: Scores; priorityScore: number; explanation: Explanation[] };
  effective: 'derived' | 'override';
}

export interface ModelView {
  modelId: string;
  profile: ModelProfile | null;
  profileVersion: number | null;
  status: ModelStatus | null;
  blocksAdoption: boolean;
  openIncidents: { incidentId: string; rule: RuleName; severity: string; itemId: string }[];
  valueAtRisk: { perHour: number | null; currency: string; byIncident: ValueAtRisk[] };
  costOfDelay: number | null;
  explanation: string[];
}

/**
 * Value at risk, cost of delay and derived scores, computed when read from the profiles, the model
 * statuses and the items (so they always use the latest numbers; nothing is stored twice).
 */
@Injectable()
export class ImpactQueries {
  constructor(
    @Inject(BACKLOG_CONFIG) private readonly config: BacklogConfig,
    private readonly statuses: ModelStatusRepository,
    private readonly items: ItemsRepository,
    private readonly profileDocs: ModelProfilesRepository,
  ) {}

  /** Every model profile, by model id. */
  profiles(): Promise<Map<string, ModelProfileRecord>> {
    return this.profileDocs.all();
  }

  /**
   * The technical-debt audit of every model known from a profile or a status, in model order: one
   * assembly for the audit endpoints, the ceremony brief and the audit gauges.
   */
  async audits(): Promise<{ audit: Audit; profile: ModelProfile | null }[]> {
    const profiles = await this.profiles();
    const latest = new Map((await this.statuses.latest()).map((st) => [st.modelId, st]));
    return [...new Set([...profiles.keys(), ...latest.keys()])].sort().map((id) => {
      const profile = profiles.get(id)?.profile ?? null;
      return { audit: auditModel(id, latest.get(id) ?? null, profile, this.config.audit), profile };
    });
  }

  /** Adds `impact` to the reliability items among `items` (others are returned unchanged). */
  async enrich<T extends ItemRecord>(
    items: T[],
  ): Promise<(T & { impact?: ItemImpact | DebtImpact })[]> {
    const reliability = items.filter((i) => i.reliability);
    if (reliability.length === 0 && !items.some((i) => i.audit)) return items;
    const profiles = await this.profiles();
    const models = [...new Set(reliability.map((i) => i.reliability!.modelId))];
    // A few models (one item's page) are looked up by id; many, in one read of every latest status.
    const latest = new Map<string, ModelStatus | null>();
    if (models.length > HISTORY_READS_IN_FLIGHT)
      for (const st of await this.statuses.latest()) latest.set(st.modelId, st);
    else
      await inFlight(models, HISTORY_READS_IN_FLIGHT, async (m) => {
        latest.set(m, await this.statuses.latestOf(m));
      });
    // Each model's history from its earliest incident on (cost of delay starts there), a few
    // models at a time: one after another, hundreds of models took tens of seconds.
    const since = new Map<string, string>();
    for (const i of reliability) {
      const r = i.reliability!;
      const known = since.get(r.modelId);
      if (known === undefined || r.openedAt < known) since.set(r.modelId, r.openedAt);
    }
    const history = new Map<string, Awaited<ReturnType<ModelStatusRepository['hourly']>>>();
    await inFlight([...since], HISTORY_READS_IN_FLIGHT, async ([m, from]) => {
      history.set(m, await this.statuses.historyForCost(m, from, latest.get(m)?.at));
    });
    return items.map((item) => {
      if (item.audit) return this.debt(item, profiles.get(item.audit.modelId)?.profile ?? null);
      const r = item.reliability;
      if (!r) return item;
      const profile = profiles.get(r.modelId)?.profile ?? null;
      const status = latest.get(r.modelId) ?? null;
      const v = valueAtRisk(r.rule, r.open ? status : null, profile);
      const until = this.accrualEnd(item, status);
      const cod = costOfDelay(history.get(r.modelId) ?? [], r.rule, profile, r.openedAt, until);
      const derived = deriveReliabilityScores({
        rule: r.rule,
        severity: r.severity,
        blocksAdoption: r.blocksAdoption,
        observed: r.observed,
        threshold: r.threshold,
        tier: profile?.tier ?? null,
        valueAtRiskPerHour: r.open ? v.perHour : 0,
        costOfDelay: cod.amount,
        currency: this.config.currency,
      });
      const impact: ItemImpact = {
        currency: this.config.currency,
        valueAtRisk: v,
        costOfDelay: { ...cod, from: r.openedAt, until },
        derived,
        effective: item.scoresOverride ? 'override' : 'derived',
      };
      return item.scoresOverride
        ? { ...item, impact }
        : { ...item, scores: derived.scores, priorityScore: derived.priorityScore, impact };
    });
  }

  private debt<T extends ItemRecord>(
    item: T,
    profile: ModelProfile | null,
  ): T & { impact: DebtImpact } {
    const derived = deriveDebtScores({
      check: item.audit!.check,
      tier: profile?.tier ?? null,
      valuePerRequest: profile?.valuePerRequest ?? null,
      currency: this.config.currency,
    });
    const impact: DebtImpact = {
      currency: this.config.currency,
      derived,
      effective: item.scoresOverride ? 'override' : 'derived',
    };
    return item.scoresOverride
      ? { ...item, impact }
      : { ...item, scores: derived.scores, priorityScore: derived.priorityScore, impact };
  }

  /**
   * Cost of delay accrues in event time from the incident's opening until it resolves, or until
   * the latest status; it stops when the item is committed (wall-clock time, which is event time
   * for live telemetry).
   */
  private accrualEnd(item: ItemRecord, status: ModelStatus | null): string {
    const r = item.reliability!;
    const ends = [r.resolvedAt ?? status?.at ?? r.openedAt];
    if (item.committedAt) ends.push(item.committedAt);
    return ends.sort()[0];
  }

  /** Every model known from telemetry, profiles or incidents, by value at risk (highest first). */
  async models(): Promise<ModelView[]> {
    return guard(async () => {
      const profiles = await this.profiles();
      const statuses = new Map((await this.statuses.latest()).map((s) => [s.modelId, s]));
      const items = (await this.enrich(await this.items.reliabilityItems())) as (ItemRecord & {
        impact?: ItemImpact;
      })[]; // reliability items only: no debt impact here
      const ids = new Set([
        ...profiles.keys(),
        ...statuses.keys(),
        ...items.map((i) => i.reliability!.modelId),
      ]);
      const views: ModelView[] = [];
      for (const modelId of ids) {
        const p = profiles.get(modelId) ?? null;
        const status = statuses.get(modelId) ?? null;
        const open = items.filter((i) => i.reliability!.modelId === modelId && i.reliability!.open);
        const rules = open.map((i) => i.reliability!.rule);
        const total = modelValueAtRisk(rules, status, p?.profile ?? null);
        const blocking = open.filter((i) => i.reliability!.blocksAdoption);
        const explanation: string[] = [];
        if (!p) explanation.push('no profile: value at risk and tier cannot be stated');
        if (!status) explanation.push('no model status received yet');
        for (const i of blocking)
          explanation.push(
            i.reliability!.rule === 'accuracy_estimated'
              ? `blocks adoption (estimated): accuracy ${i.reliability!.severity}, estimated ${i.reliability!.observed} from scores vs ${i.reliability!.threshold}; labels will confirm or refute it`
              : `blocks adoption: ${i.reliability!.rule} ${i.reliability!.severity} (observed ${i.reliability!.observed} vs ${i.reliability!.threshold})`,
          );
        const cods = open.map((i) => i.impact?.costOfDelay.amount ?? null);
        views.push({
          modelId,
          profile: p?.profile ?? null,
          profileVersion: p?.version ?? null,
          status,
          blocksAdoption: blocking.length > 0,
          openIncidents: open.map((i) => ({
            incidentId: i.reliability!.incidentId,
            rule: i.reliability!.rule,
            severity: i.reliability!.severity,
            itemId: i.itemId,
          })),
          valueAtRisk: { ...total, currency: this.config.currency },
          costOfDelay: cods.some((c) => c !== null)
            ? Math.round(cods.reduce<number>((a, c) => a + (c ?? 0), 0) * 100) / 100
            : null,
          explanation,
        });
      }
      return views.sort(
        (a, b) =>
          (b.valueAtRisk.perHour ?? -1) - (a.valueAtRisk.perHour ?? -1) ||
          (a.modelId < b.modelId ? -1 : 1),
      );
    });
  }
}
