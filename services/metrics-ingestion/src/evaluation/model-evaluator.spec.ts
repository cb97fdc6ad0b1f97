import {
  RELIABILITY_SCHEMA_ID,
  TelemetryValidator,
  type ReliabilityEvent,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import {
  accuracyScenario,
  driftScenario,
  errorBudgetScenario,
  latencyScenario,
  SCENARIO_START,
} from '@fulcrum/testing';
import { prediction, quality } from '@fulcrum/testing';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../settings/rule-settings';
import { clockAt, evaluate, evaluateStale } from './model-evaluator';
import { ModelState } from '../model-state/model-state';

const validator = new TelemetryValidator();
const NOW = Date.UTC(2026, 5, 1);

/** when: every record is applied in order to a fresh state; then: the events it emitted. */
function run(
  records: TelemetryRecord[],
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
  state = new ModelState(records[0].modelId),
) {
  const events: ReliabilityEvent[] = [];
  const outcomes: string[] = [];
  for (const r of records) {
    const decoded = validator.validate(r);
    if (!decoded.ok) throw new Error(`scenario record invalid: ${decoded.rejection.message}`);
    const result = evaluate(state, decoded, settings, clockAt(NOW));
    events.push(...result.events);
    outcomes.push(result.late ? 'late' : 'applied');
  }
  return { events, outcomes, state };
}

const summary = (events: ReliabilityEvent[]) => events.map((e) => `${e.type}:${e.severity}`);

describe('model evaluator', () => {
  it('accuracy: warning below 0.85, escalates to critical below 0.80, resolves after the cooldown at >= 0.87', () => {
    const { events } = run(accuracyScenario('m-acc'));
    expect(summary(events)).toEqual([
      'accuracy.opened:warning',
      'accuracy.updated:critical',
      'accuracy.resolved:critical',
    ]);
    const [opened, updated, resolved] = events;
    expect(opened.observed).toBe(0.83);
    expect(updated.observed).toBe(0.7);
    expect(new Set(events.map((e) => e.incidentId)).size).toBe(1);
    // cleared at the window ending 35 min, resolved once 30 min of clear verdicts had passed
    expect(Date.parse(resolved.eventTime) - Date.parse(updated.eventTime)).toBeGreaterThanOrEqual(
      30 * 60_000,
    );
  });

  it('error budget: a 30 min burst of 20 % errors pages, steps down to a ticket, resolves once every short window is back under', () => {
    const { events } = run(errorBudgetScenario('m-err'));
    const relevant = events.filter((e) => e.rule === 'error_budget');
    // 1 h burn 20 > 14.4 pages; once the 1 h and 6 h pairs cool, the 1 d / 2 h pair (> 3) still
    // tickets; the 6 h short window (> 1) holds it open until it empties.
    expect(summary(relevant)).toEqual([
      'error_budget.opened:critical',
      'error_budget.updated:warning',
      'error_budget.resolved:warning',
    ]);
    expect(relevant[0].threshold).toBe(14.4);
    expect(events.filter((e) => e.rule === 'latency_slo')).toEqual([]);
  });

  it('latency SLO: an hour with 90 % of requests over 100 ms pages, steps down, resolves', () => {
    const { events } = run(latencyScenario('m-lat'));
    expect(summary(events)).toEqual([
      'latency_slo.opened:critical',
      'latency_slo.updated:warning',
      'latency_slo.resolved:warning',
    ]);
  });

  it('feature drift: both features shift, critical model-level drift, then resolves', () => {
    const { events } = run(driftScenario('m-drift'));
    expect(summary(events)).toEqual([
      'feature_drift.opened:critical',
      'feature_drift.resolved:critical',
    ]);
    const evidence = events[0].evidence as {
      driftShare: number;
      features: Record<string, { drifting: boolean }>;
    };
    expect(evidence.driftShare).toBe(1);
    expect(evidence.features.amount.drifting && evidence.features.channel.drifting).toBe(true);
  });

  it('feature drift: builds the reference from the first N predictions when no baseline exists', () => {
    const t0 = SCENARIO_START;
    const settings: RuleSettings = {
      ...DEFAULT_RULE_SETTINGS,
      drift: { ...DEFAULT_RULE_SETTINGS.drift, referenceSize: 500, minObservations: 500 },
    };
    const records: TelemetryRecord[] = [];
    for (let i = 0; i < 500; i++)
      records.push(prediction('m-ref', t0 + i * 1000, { features: { x: i % 100 } }));
    // the next hour: values concentrated in the top decile
    for (let i = 0; i < 600; i++)
      records.push(
        prediction('m-ref', t0 + 3_600_000 + i * 5000, { features: { x: 95 + (i % 5) } }),
      );
    records.push(prediction('m-ref', t0 + 3 * 3_600_000));
    const { events, state } = run(records, settings);
    expect(state.drift.source).toBe('first-predictions');
    expect(summary(events)).toEqual(['feature_drift.opened:critical']);
  });

  it('feature drift: boolean feature values are categories "true" / "false"', () => {
    const t0 = SCENARIO_START;
    const settings: RuleSettings = {
      ...DEFAULT_RULE_SETTINGS,
      drift: { ...DEFAULT_RULE_SETTINGS.drift, referenceSize: 500, minObservations: 500 },
    };
    const records: TelemetryRecord[] = [];
    // Reference: half the devices are new; the next hour: nine in ten are.
    for (let i = 0; i < 500; i++)
      records.push(prediction('m-bool', t0 + i * 1000, { features: { new_device: i % 2 === 0 } }));
    for (let i = 0; i < 600; i++)
      records.push(
        prediction('m-bool', t0 + 3_600_000 + i * 5000, { features: { new_device: i % 10 !== 0 } }),
      );
    records.push(prediction('m-bool', t0 + 3 * 3_600_000));
    const { events, state } = run(records, settings);
    expect(state.drift.reference.get('new_device')).toMatchObject({
      type: 'categorical',
      categories: ['false', 'true'],
    });
    expect(summary(events)).toEqual(['feature_drift.opened:critical']);
    // Jensen–Shannon distance of [0.5, 0.5] against [0.1, 0.9], natural log, by hand: 0.3190.
    expect(events[0].evidence).toMatchObject({
      features: { new_device: { drifting: true, metric: 'jensen_shannon', score: 0.319 } },
    });
  });

  it('low traffic opens nothing: 40 requests with 50 % errors', () => {
    const records: TelemetryRecord[] = [];
    for (let i = 0; i < 40; i++)
      records.push(
        prediction('m-low', SCENARIO_START + i * 60_000, { outcome: i % 2 ? 'error' : 'ok' }),
      );
    records.push(prediction('m-low', SCENARIO_START + 2 * 3_600_000));
    expect(run(records).events).toEqual([]);
  });

  it('counts a record older than the allowed lateness as late instead of applying it', () => {
    const t = SCENARIO_START;
    const { outcomes } = run([
      prediction('m-late', t + 10 * 60_000),
      prediction('m-late', t + 9 * 60_000),
      prediction('m-late', t),
    ]);
    expect(outcomes).toEqual(['applied', 'applied', 'late']);
  });

  it('replaying the same records gives identical event ids', () => {
    const a = run(accuracyScenario('m-replay')).events.map((e) => e.eventId);
    const b = run(accuracyScenario('m-replay')).events.map((e) => e.eventId);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
  });

  it('survives a snapshot round trip mid-stream with the same events as an uninterrupted run', () => {
    const records = errorBudgetScenario('m-snap');
    const whole = run(records).events.map((e) => e.eventId);
    const first = run(records.slice(0, 40));
    const restored = ModelState.fromJSON(JSON.parse(JSON.stringify(first.state.toJSON())), NOW);
    const second = run(records.slice(40), DEFAULT_RULE_SETTINGS, restored);
    expect([...first.events, ...second.events].map((e) => e.eventId)).toEqual(whole);
  });

  it('telemetry stale: opens after 15 min without records (processing time), resolves on the next record', () => {
    const { state } = run([quality('m-stale', SCENARIO_START, SCENARIO_START + 60_000, 10, 9)]);
    const events: ReliabilityEvent[] = [];
    const sweep = (at: number) => {
      const event = evaluateStale(state, DEFAULT_RULE_SETTINGS, clockAt(at));
      if (event) events.push(event);
    };
    sweep(NOW + 14 * 60_000);
    expect(events).toEqual([]);
    sweep(NOW + 16 * 60_000);
    sweep(NOW + 17 * 60_000);
    expect(summary(events)).toEqual(['telemetry_stale.opened:warning']);
    const later = run(
      [prediction('m-stale', SCENARIO_START + 20 * 60_000)],
      DEFAULT_RULE_SETTINGS,
      state,
    );
    expect(summary(later.events)).toEqual(['telemetry_stale.resolved:warning']);
    expect(later.events[0].incidentId).toBe(events[0].incidentId);
    // The whole opened event, field by field and in the contract's order.
    const lastEventTime = new Date(SCENARIO_START + 60_000).toISOString();
    const openedAt = new Date(NOW + 16 * 60_000).toISOString();
    expect(Object.entries(events[0])).toEqual(
      Object.entries({
        schema: RELIABILITY_SCHEMA_ID,
        eventId: events[0].eventId,
        type: 'telemetry_stale.opened',
        incidentId: events[0].incidentId,
        modelId: 'm-stale',
        modelVersion: state.modelVersion,
        rule: 'telemetry_stale',
        severity: 'warning',
        observed: Math.round((NOW + 16 * 60_000 - state.lastSeenAt) / 1000),
        threshold: 900,
        // Stale is judged in processing time but stamped with the last event time seen.
        window: { start: lastEventTime, end: lastEventTime },
        evidence: { lastEventTime, basis: 'processing-time' },
        eventTime: lastEventTime,
        emittedAt: openedAt,
      }),
    );
  });
});
