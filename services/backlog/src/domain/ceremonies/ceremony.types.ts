import type { Backlog, Quadrant } from '../items/item.types';

export type CeremonyStatus = 'scheduled' | 'open' | 'closed';
export type DecisionKind = 'commit' | 'defer' | 'drop';

export interface ModelHealthSnapshot {
  modelId: string;
  health: number;
  blocksAdoption: boolean;
  openIncidents: { incidentId: string; rule: string; severity: string; itemId: string }[];
}

export interface CeremonySnapshot {
  takenAt: string;
  models: ModelHealthSnapshot[];
  recommendedReliabilityShare: number;
  blockingModels: number;
}

export interface Decision {
  itemId: string;
  decision: DecisionKind;
  rationale: string;
  backlog: Backlog;
  quadrant: Quadrant;
  /** A reliability item whose incident is critical or blocks adoption. */
  criticalReliability: boolean;
  decidedBy: string;
  at: string;
  /**
   * A deferred reliability item: what deferring is projected to cost until the next ceremony at
   * the value at risk of the moment (null amount when it cannot be estimated).
   */
  projectedCostOfDelay?: {
    perHour: number | null;
    hours: number;
    amount: number | null;
    currency: string;
    until: string;
  };
}

export interface Allocation {
  /** Percent per backlog, summing to 100 to close. */
  byBacklog: Record<Backlog, number>;
  /** Percent per quadrant, summing to 100 to close. */
  byQuadrant: Record<Quadrant, number>;
  /** Why the reliability share is below the recommendation, when it is. */
  deviationRationale: string | null;
}

export interface CeremonyState {
  ceremonyId: string;
  title: string;
  status: CeremonyStatus;
  scheduledFor: string;
  cadenceDays: number;
  snapshot: CeremonySnapshot | null;
  decisions: Decision[];
  allocation: Allocation | null;
  openedAt: string | null;
  closedAt: string | null;
  closingRationale: string | null;
  facilitator: string;
}
