/** The ceremony brief as this page reads it from GET /api/v1/ceremonies/{id}/brief. */
export interface Thresholds {
  accuracy: number;
  accuracyCritical: number;
  errorRatio: number;
  slowRatio: number;
  drift: number;
}

export interface TrendPoint {
  hour: string;
  accuracy: number | null;
  estimatedAccuracy?: number | null;
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

export interface Summary {
  models: number;
  blocking: number;
  valueAtRiskPerHour: number;
  unestimated: number;
  reliabilityShare: {
    recommended: number;
    planned: number | null;
    actual: number;
    committed: number | null;
  };
  waiting: { items: number; valueAtRiskPerHour: number };
  previous: {
    title: string;
    decisions: number;
    incidentsResolved: number;
    incidentsOpen: number;
    costSince: number;
  } | null;
}

export type HealthView = BriefView['health'][number];

export interface BriefView {
  ceremony: {
    ceremonyId: string;
    title: string;
    status: 'scheduled' | 'open' | 'closed';
    scheduledFor: string;
    version: number;
  };
  since: string;
  currency: string;
  thresholds: Thresholds;
  summary: Summary;
  health: {
    modelId: string;
    team: string | null;
    tier: number | null;
    blocksAdoption: boolean;
    why: string[];
    openIncidents: { rule: string; severity: string }[];
    latest: TrendPoint | null;
    /** False for models beyond the brief's first `trends`: read from …/brief/trends on demand. */
    trendIncluded: boolean;
    trend: TrendPoint[];
    thresholds?: Thresholds;
  }[];
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
    planned: { byBacklog: Record<string, number> } | null;
    actual: Record<string, number>;
    recommendedReliability: number;
    history: {
      title: string;
      closedAt: string | null;
      reliability: number;
      deviationRationale: string | null;
    }[];
  };
  candidates: Record<string, Candidate[]>;
  previous: {
    title: string;
    closedAt: string | null;
    outcomes: {
      title: string;
      decision: string;
      nowStatus: string;
      incidentResolved: boolean | null;
      costSince: number | null;
    }[];
  } | null;
  audit: {
    models: { modelId: string; coverage: number; failing: string[] }[];
    openDebtItems: unknown[];
  };
  decisions: {
    itemId: string;
    title: string;
    backlog: string;
    decision: string;
    decidedBy: string;
    rationale: string;
    projectedCostOfDelay?: { amount: number | null; currency: string };
  }[];
}
