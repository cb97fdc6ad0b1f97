/** Reliability events v1: what metrics-ingestion emits and the backlog consumes (key = modelId). */
export const RELIABILITY_SCHEMA_ID = 'fulcrum.reliability/v1';

export const RULES = [
  'accuracy',
  'latency_slo',
  'error_budget',
  'feature_drift',
  'telemetry_stale',
  // Accuracy estimated from scores before labels arrive: its own incident, confirmed or refuted
  // when the labels for its windows come in.
  'accuracy_estimated',
] as const;
export type RuleName = (typeof RULES)[number];

export const TRANSITIONS = ['opened', 'updated', 'resolved'] as const;
export type Transition = (typeof TRANSITIONS)[number];

export type Severity = 'warning' | 'critical';

/** `type` is `<rule>.<transition>`, e.g. `accuracy.opened`. */
export type ReliabilityEventType = `${RuleName}.${Transition}`;

export interface EventWindow {
  start: string;
  end: string;
}

export interface ReliabilityEvent {
  schema: typeof RELIABILITY_SCHEMA_ID;
  eventId: string;
  type: ReliabilityEventType;
  incidentId: string;
  modelId: string;
  modelVersion: string;
  rule: RuleName;
  severity: Severity;
  observed: number;
  threshold: number;
  window: EventWindow;
  evidence: Record<string, unknown>;
  eventTime: string;
  emittedAt: string;
}

export function eventType(rule: RuleName, transition: Transition): ReliabilityEventType {
  return `${rule}.${transition}`;
}

export function transitionOf(type: ReliabilityEventType): Transition {
  return type.slice(type.indexOf('.') + 1) as Transition;
}
