import type { Interaction } from '@fulcrum/contracts';

export const TIERS = [1, 2, 3] as const;
/** 1 = revenue-critical, 2 = customer-facing, 3 = internal. */
export type Tier = (typeof TIERS)[number];

export interface UpstreamDependency {
  name: string;
  kind: string;
  owner: string;
}

/** What the team knows about a model that telemetry cannot say: who owns it and what it is worth. */
export interface ModelProfile {
  ownerTeam: string;
  tier: Tier;
  kpi: string;
  /** Business value of one well-served request, in the configured currency. */
  valuePerRequest: number;
  interaction: Interaction;
  /** The accuracy the model is expected to hold (0–1). */
  expectedAccuracy: number;
  /** How long labels should take to arrive, in hours. */
  expectedLabelDelayHours: number;
  /** How often the model should be retrained, in days. */
  retrainingCadenceDays: number;
  upstream: UpstreamDependency[];
  downstream: string[];
}

export interface ModelProfileState {
  modelId: string;
  profile: ModelProfile;
  createdAt: string;
  updatedAt: string;
}
