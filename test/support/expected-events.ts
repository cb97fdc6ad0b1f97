import {
  TelemetryValidator,
  type ReliabilityEvent,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import { applyRecord } from '../../services/metrics-ingestion/src/model-state/model-evaluator';
import { ModelState } from '../../services/metrics-ingestion/src/model-state/model-state';
import { DEFAULT_RULE_SETTINGS } from '../../services/metrics-ingestion/src/rules/rule-settings';

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
    applyRecord(s, d.record, d.eventTimeMs, DEFAULT_RULE_SETTINGS, Date.now(), events);
  }
  return events;
}
