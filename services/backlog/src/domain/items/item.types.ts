import type { RuleName, Severity } from '@fulcrum/contracts';

export const BACKLOGS = ['capability', 'reliability'] as const;
export type Backlog = (typeof BACKLOGS)[number];

export const QUADRANTS = [
  'critical-feature',
  'model-hygiene',
  'technical-debt',
  'innovation',
] as const;
export type Quadrant = (typeof QUADRANTS)[number];

export const ITEM_STATUSES = [
  'proposed',
  'ready',
  'committed',
  'in-progress',
  'done',
  'deferred',
  'dropped',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Scores behind the priority: impact, risk and urgency 1-10, effort 1-100 (points), confidence 0-1. */
export interface Scores {
  userImpact: number;
  systemRisk: number;
  timeCriticality: number;
  effort: number;
  confidence: number;
}

export interface ReliabilityLink {
  incidentId: string;
  modelId: string;
  rule: RuleName;
  severity: Severity;
  observed: number;
  threshold: number;
  blocksAdoption: boolean;
  open: boolean;
  openedAt: string;
  resolvedAt: string | null;
  eventIds: string[];
}

/** The audit gap a technical-debt item tracks: one (model, check), open while the check fails. */
export interface AuditLink {
  modelId: string;
  check: string;
  open: boolean;
  openedAt: string;
  resolvedAt: string | null;
  reopened: number;
  evidence: Record<string, unknown>;
  remedy: string;
}

/** An item: what it was proposed as (its rationale is kept as the last one) and what happened since. */
export interface ItemState extends Omit<Proposal, 'rationale'> {
  itemId: string;
  priorityScore: number;
  status: ItemStatus;
  reliability: ReliabilityLink | null;
  createdAt: string;
  updatedAt: string;
  lastRationale: string | null;
  /** When the item was first committed (cost of delay stops accruing then). */
  committedAt?: string;
  /** Technical-debt items opened by the audit. */
  audit?: AuditLink;
  /** Set when a person overrode the scores: derived scores never silently undo it. */
  scoresOverride?: { rationale: string; at: string };
}

/**
 * What a proposal says about an item: the one list of its fields, shared by the ProposeItem
 * command, the ItemProposed event, the application's input and the API's DTO.
 */
export interface Proposal {
  backlog: Backlog;
  quadrant: Quadrant;
  title: string;
  description: string;
  linkedModels: string[];
  scores: Scores;
  rationale: string | null;
}
