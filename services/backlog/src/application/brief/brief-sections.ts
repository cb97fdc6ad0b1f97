import { statusThresholds, type ModelStatus } from '@fulcrum/contracts';
import { QUADRANTS, type Quadrant } from '../../domain/items/item.types';
import type { CeremonyRecord } from '../../read-models/ceremonies/ceremonies.repository';
import type { ItemImpact, ModelView } from '../../read-models/impact.queries';
import type { ItemRecord } from '../../read-models/items/items.repository';
import type { ReadModelQueries } from '../../read-models/read-model.queries';
import type { Brief, BriefSummary, Candidate, TrendPoint } from './brief.types';

/**
 * The brief's sections, one pure builder each, from what the service read: each can be read and
 * tested on its own, and none queries anything.
 */

const DAY = 86_400_000;

export type EnrichedItem = ItemRecord & { impact?: ItemImpact };
type AllocationView = Awaited<ReturnType<ReadModelQueries['allocation']>>;
export interface HourlyPoint {
  hour: string;
  status: ModelStatus;
}

/** The previous closed ceremony and the time health and decisions are shown since. */
export function briefWindow(
  ceremony: CeremonyRecord,
  all: CeremonyRecord[],
): { previous: CeremonyRecord | null; since: string } {
  const closedBefore = all
    .filter(
      (c) =>
        c.status === 'closed' &&
        c.ceremonyId !== ceremony.ceremonyId &&
        (c.closedAt ?? '') <= (ceremony.openedAt ?? ceremony.closedAt ?? '9999'),
    )
    .sort((a, b) => (a.closedAt ?? '').localeCompare(b.closedAt ?? ''));
  const previous = closedBefore.at(-1) ?? null;
  const since =
    previous?.closedAt ?? new Date(Date.parse(ceremony.scheduledFor) - 14 * DAY).toISOString();
  return { previous, since };
}

/**
 * Where a model's trend starts: one cadence of its own event time before its latest status (for
 * live telemetry the time since the last ceremony; for a replay still its data), else `since`.
 */
export function trendHorizon(m: ModelView, cadenceDays: number, since: string): string {
  return m.status ? new Date(Date.parse(m.status.at) - cadenceDays * DAY).toISOString() : since;
}

export function ceremonySection(ceremony: CeremonyRecord): Brief['ceremony'] {
  return {
    ceremonyId: ceremony.ceremonyId,
    title: ceremony.title,
    status: ceremony.status,
    scheduledFor: ceremony.scheduledFor,
    cadenceDays: ceremony.cadenceDays,
    openedAt: ceremony.openedAt,
    closedAt: ceremony.closedAt,
    version: ceremony.version,
    recommendedReliabilityShare: ceremony.snapshot?.recommendedReliabilityShare ?? null,
  };
}

/**
 * The order a ceremony reads models in: those blocking adoption first, then the most value at risk
 * per hour (unknown after known), then by id so equal models keep a stable place.
 */
export function byStake(a: ModelView, b: ModelView): number {
  return (
    Number(b.blocksAdoption) - Number(a.blocksAdoption) ||
    (b.valueAtRisk.perHour ?? -1) - (a.valueAtRisk.perHour ?? -1) ||
    a.modelId.localeCompare(b.modelId)
  );
}

/** A status as a point of the hourly trend: the values the rules judge. */
export function trendPoint(hour: string, status: ModelStatus): TrendPoint {
  return {
    hour,
    accuracy: status.accuracy?.value ?? null,
    estimatedAccuracy: status.estimatedAccuracy?.value ?? null,
    errorRatio: status.lastHour.errorRatio,
    slowRatio: status.lastHour.slowRatio,
    driftScore: status.drift.maxScore,
  };
}

/** Hourly points as the brief lists them. */
export const trendOf = (points: HourlyPoint[]): TrendPoint[] =>
  points.map((h) => trendPoint(h.hour, h.status));

/** `hourly` holds the trends read (the first models in stake order); the others are left out. */
export function healthSection(
  models: ModelView[],
  hourly: Map<string, HourlyPoint[]>,
): Brief['health'] {
  return [...models].sort(byStake).map((m) => ({
    modelId: m.modelId,
    team: m.profile?.ownerTeam ?? null,
    tier: m.profile?.tier ?? null,
    blocksAdoption: m.blocksAdoption,
    why: m.explanation,
    openIncidents: m.openIncidents.map((i) => ({
      rule: i.rule,
      severity: i.severity,
      itemId: i.itemId,
    })),
    latest: m.status ? trendPoint(m.status.at, m.status) : null,
    trend: trendOf(hourly.get(m.modelId) ?? []),
    trendIncluded: hourly.has(m.modelId),
    thresholds: { ...statusThresholds(m.status) },
  }));
}

export function valueAtRiskSection(
  models: ModelView[],
  items: EnrichedItem[],
): Brief['valueAtRisk'] {
  return {
    models: [...models].sort(byStake).map((m) => ({
      modelId: m.modelId,
      perHour: m.valueAtRisk.perHour,
      costOfDelay: m.costOfDelay,
    })),
    items: items
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
  };
}

export function allocationSection(
  ceremony: CeremonyRecord,
  allocation: AllocationView,
  all: CeremonyRecord[],
): Brief['allocation'] {
  return {
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
  };
}

/** Open work per quadrant, highest priority first, each with why it scores as it does. */
export function candidatesSection(items: EnrichedItem[]): Record<Quadrant, Candidate[]> {
  const candidates = Object.fromEntries(QUADRANTS.map((q) => [q, [] as Candidate[]])) as Record<
    Quadrant,
    Candidate[]
  >;
  for (const i of items) {
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
  return candidates;
}

/** What the previous ceremony's decisions did: where each item is now, and what deferring cost. */
export function previousSection(
  previous: CeremonyRecord | null,
  items: EnrichedItem[],
): Brief['previous'] {
  if (!previous) return null;
  const byId = new Map(items.map((i) => [i.itemId, i]));
  return {
    ceremonyId: previous.ceremonyId,
    title: previous.title,
    closedAt: previous.closedAt,
    outcomes: previous.decisions.map((d) => {
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
    }),
  };
}

export function auditSection(
  audits: { modelId: string; coverage: number; failing: string[] }[],
  items: EnrichedItem[],
): Brief['audit'] {
  return {
    models: audits.map((a) => ({ modelId: a.modelId, coverage: a.coverage, failing: a.failing })),
    openDebtItems: items
      .filter((i) => i.audit?.open)
      .map((i) => ({
        itemId: i.itemId,
        title: i.title,
        modelId: i.audit!.modelId,
        check: i.audit!.check,
      })),
  };
}

/** This ceremony's decisions with their items' titles (the id when the item is unknown). */
export function decisionsSection(
  ceremony: CeremonyRecord,
  items: EnrichedItem[],
): Brief['decisions'] {
  const byId = new Map(items.map((i) => [i.itemId, i]));
  return ceremony.decisions.map((d) => ({ ...d, title: byId.get(d.itemId)?.title ?? d.itemId }));
}

/**
 * The first screen's figures, from the sections themselves so the two cannot disagree. The share
 * committed weighs each committed item by its effort score (1 when it has none): committing one
 * large reliability item and one small feature is not a 50/50 split of the sprint.
 */
export function summarySection(
  b: Pick<Brief, 'health' | 'valueAtRisk' | 'allocation' | 'candidates' | 'previous'>,
  decisions: Brief['decisions'],
  items: EnrichedItem[],
): BriefSummary {
  const varByModel = new Map(b.valueAtRisk.models.map((m) => [m.modelId, m.perHour]));
  const varByItem = new Map(b.valueAtRisk.items.map((i) => [i.itemId, i.perHour ?? 0]));
  const effort = new Map(items.map((i) => [i.itemId, i.scores.effort ?? 1]));
  const decided = new Set(decisions.map((d) => d.itemId));
  const waiting = Object.values(b.candidates)
    .flat()
    .filter((c) => !decided.has(c.itemId));
  let committed = 0;
  let committedReliability = 0;
  for (const d of decisions) {
    if (d.decision !== 'commit') continue;
    const e = effort.get(d.itemId) ?? 1;
    committed += e;
    if (d.backlog === 'reliability') committedReliability += e;
  }
  const round2 = (v: number) => Math.round(v * 100) / 100;
  const outcomes = b.previous?.outcomes ?? [];
  return {
    models: b.health.length,
    blocking: b.health.filter((h) => h.blocksAdoption).length,
    valueAtRiskPerHour: round2(b.valueAtRisk.models.reduce((sum, m) => sum + (m.perHour ?? 0), 0)),
    unestimated: b.health.filter(
      (h) => h.openIncidents.length > 0 && varByModel.get(h.modelId) == null,
    ).length,
    reliabilityShare: {
      recommended: b.allocation.recommendedReliability,
      planned: b.allocation.planned?.byBacklog.reliability ?? null,
      actual: b.allocation.actual.reliability ?? 0,
      committed: committed > 0 ? Math.round((committedReliability / committed) * 1000) / 10 : null,
    },
    waiting: {
      items: waiting.length,
      valueAtRiskPerHour: round2(
        waiting.reduce((sum, c) => sum + (varByItem.get(c.itemId) ?? 0), 0),
      ),
    },
    previous: b.previous
      ? {
          title: b.previous.title,
          decisions: outcomes.length,
          incidentsResolved: outcomes.filter((o) => o.incidentResolved === true).length,
          incidentsOpen: outcomes.filter((o) => o.incidentResolved === false).length,
          costSince: round2(outcomes.reduce((sum, o) => sum + (o.costSince ?? 0), 0)),
        }
      : null,
  };
}
