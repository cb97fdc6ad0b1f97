import { TelemetryValidator, type ReliabilityEvent } from '@fulcrum/contracts';
import { accuracyScenario, errorBudgetScenario } from '@fulcrum/testing';
import { clockAt, evaluate } from '../../services/metrics-ingestion/src/evaluation/model-evaluator';
import { ModelState } from '../../services/metrics-ingestion/src/model-state/model-state';
import { DEFAULT_RULE_SETTINGS } from '../../services/metrics-ingestion/src/settings/rule-settings';
import { accuracyAndBudgetEvents, byId, comparable } from '../support/expected-events';

// The Kafka tests hold the service to a hand-computed oracle; this says in a second, without
// servers, whether the evaluator itself still tells that story — so a rule change that moves a
// window or a threshold fails here first, with the difference shown field by field.
describe('the accuracy + error-budget scenarios, evaluated in memory', () => {
  it('emit exactly the hand-computed events, ids included', () => {
    const records = [...accuracyScenario('m-1'), ...errorBudgetScenario('m-1')].sort(
      (a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime),
    );
    const validator = new TelemetryValidator();
    const state = new ModelState('m-1');
    const events: ReliabilityEvent[] = [];
    for (const r of records) {
      const decoded = validator.validate(r);
      if (!decoded.ok) throw new Error(JSON.stringify(decoded.rejection));
      events.push(...evaluate(state, decoded, DEFAULT_RULE_SETTINGS, clockAt(Date.now())).events);
    }
    expect(byId(events.map(comparable))).toEqual(byId(accuracyAndBudgetEvents('m-1')));
  });
});
