import {
  DEFAULT_STATUS_THRESHOLDS,
  parseModelStatus,
  TelemetryValidator,
  type ModelStatus,
  type ReliabilityEvent,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import { prediction, quality, window } from '@fulcrum/testing';
import { DEFAULT_RULE_SETTINGS } from '../settings/rule-settings';
import { ModelState } from '../model-state/model-state';
import { clockAt, evaluate } from './model-evaluator';

const validator = new TelemetryValidator();
const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 10, 0);

function run(records: TelemetryRecord[]) {
  const state = new ModelState(records[0].modelId);
  const events: ReliabilityEvent[] = [];
  const statuses: ModelStatus[] = [];
  for (const r of records) {
    const d = validator.validate(r);
    if (!d.ok) throw new Error(d.rejection.message);
    const result = evaluate(state, d, DEFAULT_RULE_SETTINGS, clockAt(Date.now()));
    events.push(...result.events);
    statuses.push(...result.statuses);
  }
  return { state, events, statuses };
}

/** 10:00–11:00: 5-minute windows of 1,000 realtime requests, 2 % errors, 50 slow; labels at 0.82. */
function scenario(): TelemetryRecord[] {
  const out: TelemetryRecord[] = [];
  for (let i = 0; i < 12; i++) {
    const start = T0 + i * 5 * MIN;
    out.push(window('m', start, start + 5 * MIN, { count: 1000, errors: 20, slow: 50 }));
    // Labels for the window that ended 10 minutes earlier (a 10-minute label lag).
    if (i >= 2)
      out.push({
        ...quality('m', start - 10 * MIN, start - 5 * MIN, 250, 205),
        eventTime: new Date(start + 5 * MIN).toISOString(),
      });
  }
  out.push(prediction('m', T0 + 67 * MIN, { interaction: 'batch', features: { amount: 3 } }));
  return out;
}

describe('model status', () => {
  it('at 11:00 states the last hour, the latest accuracy with its label lag, incidents and coverage', () => {
    const { statuses, events } = run(scenario());
    for (const s of statuses) expect(parseModelStatus(s)).toEqual({ ok: true, status: s });
    const at11 = statuses.find((s) => s.at === '2026-01-05T11:00:00.000Z');
    // Hand-computed: 12 windows × 1,000 requests; 240 errors and 600 slow of 12,000.
    expect(at11).toEqual({
      schema: 'fulcrum.model-status/v1',
      modelId: 'm',
      modelVersion: 'v1',
      versionFirstSeenAt: '2026-01-05T10:04:59.999Z',
      at: '2026-01-05T11:00:00.000Z',
      lastHour: { requests: { realtime: 12000, batch: 0 }, errorRatio: 0.02, slowRatio: 0.05 },
      accuracy: { value: 0.82, labeled: 250, labelLagSeconds: 600 },
      drift: { maxScore: 0, driftingFeatures: [] },
      openIncidents: [
        {
          incidentId: events.find((e) => e.type === 'accuracy.opened')!.incidentId,
          rule: 'accuracy',
          severity: 'warning',
        },
        // 2 % errors burn the 99.5 % budget 4× over the day: a ticket (1 d & 2 h > 3).
        {
          incidentId: events.find((e) => e.type === 'error_budget.opened')!.incidentId,
          rule: 'error_budget',
          severity: 'warning',
        },
      ],
      coverage: {
        referenceSource: 'none',
        featuresSeen: 0,
        featuresWithReference: 0,
        // Only records before the boundary count: the quality record stamped 11:00:00 is not.
        lastLabelsAt: '2026-01-05T10:55:00.000Z',
        lastLatencyAt: '2026-01-05T10:59:59.999Z',
        lastRecordAt: '2026-01-05T10:59:59.999Z',
      },
      thresholds: {
        accuracy: 0.85,
        accuracyCritical: 0.8,
        errorRatio: 0.005,
        slowRatio: 0.05,
        drift: 0.1,
      },
    });
  });

  it("states the rules' defaults as the contract's DEFAULT_STATUS_THRESHOLDS (one source for readers)", () => {
    const { statuses } = run(scenario());
    expect(statuses.at(-1)!.thresholds).toEqual(DEFAULT_STATUS_THRESHOLDS);
  });

  it('is emitted only when something changed, and identically on a replay', () => {
    const first = run(scenario()).statuses;
    const again = run(scenario()).statuses;
    expect(again).toEqual(first);
    const bodies = first.map(({ at: _at, ...rest }) => JSON.stringify(rest));
    for (let i = 1; i < bodies.length; i++) expect(bodies[i]).not.toBe(bodies[i - 1]);
    // A boundary with nothing new (the same hour's figures) emits nothing.
    expect(first.length).toBeLessThan(14);
  });

  it('survives a checkpoint: a restored state does not repeat the last status', () => {
    const records = scenario();
    const cut = 15;
    const a = run(records.slice(0, cut));
    const restored = ModelState.fromJSON(
      JSON.parse(JSON.stringify(a.state.toJSON())) as ReturnType<ModelState['toJSON']>,
      Date.now(),
    );
    const statuses: ModelStatus[] = [];
    for (const r of records.slice(cut)) {
      const d = validator.validate(r);
      if (!d.ok) throw new Error(d.rejection.message);
      statuses.push(...evaluate(restored, d, DEFAULT_RULE_SETTINGS, clockAt(Date.now())).statuses);
    }
    expect([...a.statuses, ...statuses]).toEqual(run(records).statuses);
  });

  it('restores a checkpoint written before the digest, which held the last status text', () => {
    const records = scenario();
    const cut = 15;
    const a = run(records.slice(0, cut));
    const { at: _at, ...body } = a.statuses[a.statuses.length - 1];
    const { statusDigest: _digest, ...json } = a.state.toJSON();
    const restored = ModelState.fromJSON({ ...json, lastStatus: JSON.stringify(body) }, Date.now());
    expect(restored.lastStatusDigest).toBe(a.state.lastStatusDigest);
  });
});
