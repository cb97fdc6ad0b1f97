import type { ModelStatus } from '@fulcrum/contracts';
import type { ModelProfile } from '../models/model-profile.types';
import { auditModel, DEFAULT_AUDIT_THRESHOLDS as T, labelsTimely } from './audit-checks';

const status = (
  over: Partial<ModelStatus> = {},
  coverage: Partial<ModelStatus['coverage']> = {},
): ModelStatus => ({
  schema: 'fulcrum.model-status/v1',
  modelId: 'm',
  modelVersion: 'v7',
  versionFirstSeenAt: '2026-02-01T00:00:00.000Z',
  at: '2026-02-10T12:00:00.000Z',
  lastHour: { requests: { realtime: 1000, batch: 0 }, errorRatio: 0, slowRatio: 0.01 },
  accuracy: null,
  drift: { maxScore: 0, driftingFeatures: [] },
  openIncidents: [],
  ...over,
  coverage: {
    referenceSource: 'baseline',
    featuresSeen: 3,
    featuresWithReference: 3,
    lastLabelsAt: '2026-02-10T06:00:00.000Z',
    lastLatencyAt: '2026-02-10T11:59:00.000Z',
    lastRecordAt: '2026-02-10T11:59:00.000Z',
    ...coverage,
  },
});
const profile: ModelProfile = {
  ownerTeam: 'risk-ml',
  tier: 1,
  kpi: 'checkout conversion',
  valuePerRequest: 0.2,
  interaction: 'realtime',
  expectedAccuracy: 0.9,
  expectedLabelDelayHours: 12,
  retrainingCadenceDays: 30,
  upstream: [{ name: 'payments', kind: 'kafka-topic', owner: 'payments' }],
  downstream: [],
};
const outcome = (a: ReturnType<typeof auditModel>, check: string) =>
  a.checks.find((c) => c.check === check)?.outcome;

describe('technical-debt audit', () => {
  it('a fully covered model passes every check: coverage 1', () => {
    const a = auditModel('m', status(), profile);
    expect(a.failing).toEqual([]);
    expect(a).toMatchObject({ passed: 10, applicable: 10, coverage: 1 });
  });

  it('no profile and no status: the profile checks fail, the rest cannot run', () => {
    const a = auditModel('m', null, null);
    expect(a.failing).toEqual(['has-owner', 'has-kpi-and-value', 'upstream-declared']);
    expect(a.coverage).toBe(0);
  });

  it.each([
    ['reference-from-baseline', status({}, { referenceSource: 'first-predictions' }), 'fail'],
    ['features-have-reference', status({}, { featuresWithReference: 2 }), 'fail'],
    [
      'features-have-reference',
      status({}, { featuresSeen: 0, featuresWithReference: 0 }),
      'not-applicable',
    ],
    ['latency-telemetry', status({}, { lastLatencyAt: null }), 'fail'],
    [
      'telemetry-fresh',
      status({
        openIncidents: [{ incidentId: 'x', rule: 'telemetry_stale', severity: 'warning' }],
      }),
      'fail',
    ],
    ['version-within-cadence', status({ versionFirstSeenAt: '2026-01-01T00:00:00.000Z' }), 'fail'],
    [
      'latency-within-target',
      status({ lastHour: { requests: { realtime: 10, batch: 0 }, errorRatio: 0, slowRatio: 0.2 } }),
      'fail',
    ],
    [
      'latency-within-target',
      status({ lastHour: { requests: { realtime: 0, batch: 0 }, errorRatio: 0, slowRatio: 0 } }),
      'not-applicable',
    ],
  ] as const)('%s: %s', (check, s, expected) => {
    expect(outcome(auditModel('m', s, profile), check)).toBe(expected);
  });

  it('labels: on time within the profile’s delay (6 h ≤ 12 h), late beyond it, missing fails', () => {
    expect(labelsTimely(status(), profile, T)).toMatchObject({
      outcome: 'pass',
      evidence: { ageHours: 6, expectedWithinHours: 12 },
    });
    expect(labelsTimely(status(), { ...profile, expectedLabelDelayHours: 4 }, T).outcome).toBe(
      'fail',
    );
    expect(labelsTimely(status({}, { lastLabelsAt: null }), profile, T).outcome).toBe('fail');
    // Without a profile the configured default (24 h) applies.
    expect(labelsTimely(status(), null, T).outcome).toBe('pass');
  });

  it('coverage is passed over applicable checks, each failure with a remedy', () => {
    const a = auditModel(
      'm',
      status({}, { referenceSource: 'first-predictions', lastLatencyAt: null }),
      profile,
    );
    expect(a).toMatchObject({ passed: 8, applicable: 10, coverage: 0.8 });
    for (const c of a.checks) expect(c.remedy.length).toBeGreaterThan(10);
  });
});
