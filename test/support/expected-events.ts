import {
  TelemetryValidator,
  type ReliabilityEvent,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import { clockAt, evaluate } from '../../services/metrics-ingestion/src/evaluation/model-evaluator';
import { ModelState } from '../../services/metrics-ingestion/src/model-state/model-state';
import { DEFAULT_RULE_SETTINGS } from '../../services/metrics-ingestion/src/settings/rule-settings';

/** The events an uninterrupted, in-memory run of the evaluator gives: the oracle for the Kafka tests. */
export function expectedEvents(records: TelemetryRecord[]): ReliabilityEvent[] {
  const validator = new TelemetryValidator();
  const states = new Map<string, ModelState>();
  const events: ReliabilityEvent[] = [];
  for (const r of records) {
    const d = validator.validate(r);
    if (!d.ok) continue;
    let s = states.get(r.modelId);
    if (!s) states.set(r.modelId, (s = new ModelState(r.modelId)));
    events.push(...evaluate(s, d, DEFAULT_RULE_SETTINGS, clockAt(Date.now())).events);
  }
  return events;
}

/**
 * The reliability events the scripted accuracy + error-budget scenarios mean, written down from
 * their definitions (tools/simulator/src/scenarios.ts), not computed by the evaluator: accuracy
 * 0.83 → warning, 0.70 → critical, 0.95 → resolved; 20 % errors for 30 min page, the page steps
 * down to a ticket, clean traffic resolves it. One line per distinct event, sorted.
 */
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
export const told = (e: ReliabilityEvent): string => `${e.modelId} ${e.type}:${e.severity}`;
