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
