import type { ReliabilityEvent } from '@fulcrum/contracts';
import { SCENARIO_START } from '@fulcrum/testing';
import { v5 as uuidv5 } from 'uuid';

/**
 * The oracle for the Kafka tests, written down from the scenario definitions and the README, not
 * computed by anything under test: ids with an independent UUID library from the README's formula,
 * observed values, thresholds and windows from arithmetic on the scripted telemetry.
 */

/** README: the ids' namespace, UUIDv5 of `fulcrum.reliability/v1` in the RFC's URL namespace. */
const NAMESPACE = uuidv5('fulcrum.reliability/v1', uuidv5.URL);
/** README: a UUIDv5 whose name is its inputs joined by U+0000. */
export const readmeId = (...parts: string[]): string => uuidv5(parts.join('\u0000'), NAMESPACE);

const MIN = 60_000;
const at = (minutes: number, t0: number) => new Date(t0 + minutes * MIN).toISOString();

/** What a test can compare exactly: the event without its evidence and processing-time stamp. */
export type ExpectedEvent = Omit<ReliabilityEvent, 'evidence' | 'emittedAt'>;
export const comparable = ({
  evidence: _e,
  emittedAt: _t,
  ...rest
}: ReliabilityEvent): ExpectedEvent => rest;

interface Transition {
  rule: 'accuracy' | 'error_budget';
  transition: 'opened' | 'updated' | 'resolved';
  severity: 'warning' | 'critical';
  observed: number;
  threshold: number;
  /** Window start and end, and the evaluation boundary that emits it, in minutes from t0. */
  window: [number, number];
  emittedAtMinute: number;
}

/**
 * `accuracyScenario` (5-minute quality windows of 200 labels: 0.95, 0.95, 0.83, 0.83, 0.70, 0.70,
 * then 0.95) and `errorBudgetScenario` (5-minute windows of 1,000 requests, 200 errors each from
 * minute 120 to 150) under the default rules: accuracy warning below 0.85, critical below 0.80,
 * resolved at 0.90 or more held for 30 min; objective 99.5 % (burn rate = error ratio / 0.005) with
 * the multi-window alerts 14.4 (1 h & 5 min), 6 (6 h & 30 min), 3 (1 d & 2 h), 1 (3 d & 6 h), a 15-min
 * cooldown. A quality window counts from the boundary after its end.
 */
const STORY: Transition[] = [
  // Window 10–15 holds 166/200 = 0.83 < 0.85 (not < 0.80): known at the 20-min boundary.
  {
    rule: 'accuracy',
    transition: 'opened',
    severity: 'warning',
    observed: 0.83,
    threshold: 0.85,
    window: [10, 15],
    emittedAtMinute: 20,
  },
  // Window 20–25 holds 140/200 = 0.70; its 99 % Wilson upper bound (0.769) is below 0.80: critical.
  {
    rule: 'accuracy',
    transition: 'updated',
    severity: 'critical',
    observed: 0.7,
    threshold: 0.8,
    window: [20, 25],
    emittedAtMinute: 30,
  },
  // Window 30–35 is the first at 0.95, known at 40; clear for 30 min resolves at 70 (window 60–65).
  {
    rule: 'accuracy',
    transition: 'resolved',
    severity: 'critical',
    observed: 0.95,
    threshold: 0.85,
    window: [60, 65],
    emittedAtMinute: 70,
  },
  // At 145 the last hour (85–145) holds 5 bad windows: 1,000 / 12,000 = 0.0833 → burn 16.67 ≥ 14.4,
  // and the last 5 min burn 40. At 140 only 4 bad windows: 13.33, below 14.4.
  {
    rule: 'error_budget',
    transition: 'opened',
    severity: 'critical',
    observed: 16.6667,
    threshold: 14.4,
    window: [85, 145],
    emittedAtMinute: 145,
  },
  // At 180 the last 30 min are clean, so neither critical alert holds; the day (−1260–180) holds
  // 1,200 errors in 36,000 requests: burn 6.67 ≥ 3, its 2 h short window 10 ≥ 3: warning.
  {
    rule: 'error_budget',
    transition: 'updated',
    severity: 'warning',
    observed: 6.6667,
    threshold: 3,
    window: [-1260, 180],
    emittedAtMinute: 180,
  },
  // The last alert to hold is 3 d & 6 h: from 505 the 6 h window keeps one bad window, 200 / 72,000
  // → burn 0.56 < 1. Clear for 15 min resolves at 520; observed is the first alert's hour (460–520).
  {
    rule: 'error_budget',
    transition: 'resolved',
    severity: 'warning',
    observed: 0,
    threshold: 14.4,
    window: [460, 520],
    emittedAtMinute: 520,
  },
];

/** The six events one model of the accuracy + error-budget workload must emit, ids included. */
export function accuracyAndBudgetEvents(modelId: string, t0 = SCENARIO_START): ExpectedEvent[] {
  const incidents = new Map<string, string>();
  return STORY.map((s) => {
    const window = { start: at(s.window[0], t0), end: at(s.window[1], t0) };
    if (s.transition === 'opened')
      incidents.set(s.rule, readmeId(modelId, s.rule, window.start, window.end));
    const incidentId = incidents.get(s.rule)!;
    const eventId =
      s.transition === 'updated'
        ? readmeId(incidentId, 'updated', s.severity, window.end)
        : readmeId(incidentId, s.transition);
    return {
      schema: 'fulcrum.reliability/v1',
      eventId,
      type: `${s.rule}.${s.transition}`,
      incidentId,
      modelId,
      modelVersion: 'v1',
      rule: s.rule,
      severity: s.severity,
      observed: s.observed,
      threshold: s.threshold,
      window,
      eventTime: at(s.emittedAtMinute, t0),
    };
  });
}

/** The same as one line per distinct event, sorted: what a failure message can show at a glance. */
export function accuracyAndBudgetStory(modelIds: string[]): string[] {
  return modelIds
    .flatMap((id) => [
      `${id} accuracy.opened:warning`,
      `${id} accuracy.updated:critical`,
      `${id} accuracy.resolved:critical`,
      `${id} error_budget.opened:critical`,
      `${id} error_budget.updated:warning`,
      `${id} error_budget.resolved:warning`,
    ])
    .sort();
}

/** An event as the story tells it. */
export const told = (e: Pick<ReliabilityEvent, 'modelId' | 'type' | 'severity'>): string =>
  `${e.modelId} ${e.type}:${e.severity}`;

/** Events in a stable order for comparisons. */
export const byId = <T extends { eventId: string }>(events: T[]): T[] =>
  [...events].sort((a, b) => a.eventId.localeCompare(b.eventId));
