import type { StatusThresholds } from '@fulcrum/contracts';
import type { Decision } from '../../domain/ceremonies/ceremony.types';
import type { Quadrant } from '../../domain/items/item.types';

/** One point of a model's hourly trend (event time), with the values the rules judge. */
export interface TrendPoint {
  hour: string;
  accuracy: number | null;
  /** Accuracy estimated from scores before labels (null without a calibration): never a measurement. */
  estimatedAccuracy: number | null;
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

/** Hourly trends of some models, for the brief's models whose trends it left out. */
export interface BriefTrends {
  items: { modelId: string; trend: TrendPoint[] }[];
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
  /**
   * The decision at stake, for the first screen: every figure is also in the sections below, and
   * the page links each to its detail.
   */
  summary: BriefSummary;
  /** Blocking models first, then by value at risk per hour (unknown last), then by id. */
  health: {
    modelId: string;
    /** From the model's profile; null for a model known only from its telemetry. */
    team: string | null;
    tier: number | null;
    blocksAdoption: boolean;
    why: string[];
    openIncidents: { rule: string; severity: string; itemId: string }[];
    /** The model's latest status as a trend point (null before its first status). */
    latest: TrendPoint | null;
    /**
     * Hourly since the trend horizon — for the first `trends` models in this order only (the
     * brief stays bounded at hundreds of models); the others' come from …/brief/trends.
     */
    trend: TrendPoint[];
    trendIncluded: boolean;
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
  /** This ceremony's decisions, each with its item's title. */
  decisions: (Decision & { title: string })[];
}

export interface BriefSummary {
  models: number;
  blocking: number;
  /** Sum of the models' value at risk per hour that could be estimated. */
  valueAtRiskPerHour: number;
  /** Models at risk (an open incident) whose value at risk cannot be estimated (no profile). */
  unestimated: number;
  /** Percent of the work going to the reliability backlog. */
  reliabilityShare: {
    recommended: number;
    planned: number | null;
    actual: number;
    /**
     * Of the effort committed in this ceremony so far, the reliability backlog's percent (by the
     * items' effort scores); null before the first commit.
     */
    committed: number | null;
  };
  /** Open candidates this ceremony has not decided on, and the value at risk per hour they carry. */
  waiting: { items: number; valueAtRiskPerHour: number };
  /** What the previous ceremony's decisions did, or null when there was none. */
  previous: {
    title: string;
    decisions: number;
    incidentsResolved: number;
    incidentsOpen: number;
    costSince: number;
  } | null;
}
