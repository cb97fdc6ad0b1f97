import { costOfDelay, projectedDeferCost } from './cost-of-delay';
import { deriveDebtScores, deriveReliabilityScores } from './derived-scores';
import { modelValueAtRisk, valueAtRisk } from './value-at-risk';

const status = (
  realtime: number,
  errorRatio: number,
  slowRatio: number,
  accuracy: number | null,
) => ({
  lastHour: { requests: { realtime, batch: 0 }, errorRatio, slowRatio },
  accuracy: accuracy === null ? null : { value: accuracy, labeled: 500, labelLagSeconds: 60 },
});
const profile = { expectedAccuracy: 0.92, valuePerRequest: 0.05 };

describe('value at risk (hand-computed)', () => {
  it('error budget: 12,000 requests/h × 0.05 × 2 % errors = 12.00 per hour', () => {
    expect(valueAtRisk('error_budget', status(12000, 0.02, 0, null), profile)).toMatchObject({
      perHour: 12,
      requestsPerHour: 12000,
      share: 0.02,
    });
  });

  it('latency: the slow ratio is the share; accuracy: expected − observed, never negative', () => {
    expect(valueAtRisk('latency_slo', status(10000, 0, 0.1, null), profile).perHour).toBe(50);
    // 10,000 × 0.05 × (0.92 − 0.80) = 60
    expect(valueAtRisk('accuracy', status(10000, 0, 0, 0.8), profile).perHour).toBe(60);
    expect(valueAtRisk('accuracy', status(10000, 0, 0, 0.95), profile).perHour).toBe(0);
  });

  it('drift and staleness are not estimated; no profile means no estimate, with the reason', () => {
    expect(valueAtRisk('feature_drift', status(10000, 0, 0, 0.9), profile)).toMatchObject({
      perHour: null,
      basis: expect.stringContaining('not estimated') as string,
    });
    expect(valueAtRisk('error_budget', status(10000, 0.1, 0, null), null)).toMatchObject({
      perHour: null,
      basis: expect.stringContaining('no profile') as string,
    });
  });

  it("a model's total adds its incidents' shares, capped at all of its traffic", () => {
    // 0.5 + 0.7 → capped at 1: 1,000 × 0.05 × 1 = 50
    expect(
      modelValueAtRisk(['error_budget', 'latency_slo'], status(1000, 0.5, 0.7, null), profile),
    ).toMatchObject({ perHour: 50 });
    // 0.02 + 0.12: 1,000 × 0.05 × 0.14 = 7
    expect(
      modelValueAtRisk(['error_budget', 'accuracy'], status(1000, 0.02, 0, 0.8), profile),
    ).toMatchObject({ perHour: 7 });
  });
});

describe('value at risk from an estimated accuracy', () => {
  const estimated = (value: number, accuracy: number | null = null) => ({
    ...status(10000, 0, 0, accuracy),
    estimatedAccuracy: {
      value,
      lower: value - 0.02,
      upper: value + 0.02,
      predictions: 5000,
      window: { start: '2026-03-02T05:00:00.000Z', end: '2026-03-02T06:00:00.000Z' },
      error: null,
    },
  });

  it('uses the estimated gap, marked estimated: 10,000 × 0.05 × (0.92 − 0.80) = 60', () => {
    expect(valueAtRisk('accuracy_estimated', estimated(0.8), profile)).toMatchObject({
      perHour: 60,
      share: expect.closeTo(0.12, 10) as number,
      estimated: true,
      basis: expect.stringContaining('estimated 0.8') as string,
    });
  });

  it('counts the loss once when the labelled accuracy incident is open too (labels win)', () => {
    const total = modelValueAtRisk(
      ['accuracy', 'accuracy_estimated'],
      estimated(0.7, 0.8),
      profile,
    );
    expect(total.perHour).toBe(60);
    expect(total.byIncident[1]).toMatchObject({ perHour: null, estimated: true });
  });
});

describe('cost of delay (hand-computed)', () => {
  const history = [
    { hour: '2026-02-02T08:00:00.000Z', status: status(10000, 0.01, 0, null) }, // 5
    { hour: '2026-02-02T09:00:00.000Z', status: status(10000, 0.02, 0, null) }, // 10
    { hour: '2026-02-02T10:00:00.000Z', status: status(20000, 0.02, 0, null) }, // 20
    { hour: '2026-02-02T11:00:00.000Z', status: status(20000, 0.03, 0, null) }, // 30
  ];

  it('adds each open hour’s value at risk: opened 09:20, committed 11:00 → 10 + 20', () => {
    expect(
      costOfDelay(history, 'error_budget', profile, '2026-02-02T09:20:00Z', '2026-02-02T11:00:00Z'),
    ).toEqual({ amount: 30, hours: 2 });
  });

  it('counts a partial hour as a whole one, at that hour’s value at risk: 09:20 → 09:40 costs 10', () => {
    expect(
      costOfDelay(history, 'error_budget', profile, '2026-02-02T09:20:00Z', '2026-02-02T09:40:00Z'),
    ).toEqual({ amount: 10, hours: 1 });
  });

  it('grows with event time while the item stays open', () => {
    const at = (until: string) =>
      costOfDelay(history, 'error_budget', profile, '2026-02-02T08:00:00Z', until).amount;
    expect([
      at('2026-02-02T09:00:00Z'),
      at('2026-02-02T10:00:00Z'),
      at('2026-02-02T12:00:00Z'),
    ]).toEqual([5, 15, 65]);
  });

  it('a deferral is priced from the decision moment, not the ceremony date: 336.03 h', () => {
    // Decided 1 min 48 s before 09:00 on the ceremony day; the next ceremony is 14 days after it.
    expect(projectedDeferCost(30, '2026-03-02T08:58:12Z', '2026-03-16T09:00:00Z')).toEqual({
      perHour: 30,
      hours: 336, // shown to a tenth of an hour
      amount: 10080.9, // 30 × 336.03, to the cent
    });
  });

  it('a deferral until the next ceremony costs the current rate for the hours until then', () => {
    expect(projectedDeferCost(30, '2026-03-02T09:00:00Z', '2026-03-16T09:00:00Z')).toEqual({
      perHour: 30,
      hours: 336,
      amount: 10080,
    });
  });
});

describe('derived scores', () => {
  const base = {
    rule: 'error_budget' as const,
    severity: 'critical' as const,
    blocksAdoption: true,
    observed: 20,
    threshold: 14.4,
    costOfDelay: 0,
    currency: 'EUR',
  };

  it('rank a revenue-critical model above an internal one with the same incident, and say why', () => {
    const checkout = deriveReliabilityScores({ ...base, tier: 1, valueAtRiskPerHour: 999 });
    const report = deriveReliabilityScores({ ...base, tier: 3, valueAtRiskPerHour: 9 });
    // 1 + 2·log10(1000) + 1 = 8; 1 + 2·log10(10) − 1 = 2
    expect(checkout.scores.userImpact).toBe(8);
    expect(report.scores.userImpact).toBe(2);
    expect(checkout.priorityScore).toBeGreaterThan(report.priorityScore);
    expect(checkout.explanation.find((e) => e.subject === 'userImpact')!.because).toMatch(
      /value at risk 999 EUR\/h .*tier 1 → \+1/,
    );
    expect(checkout.explanation.find((e) => e.subject === 'blocksAdoption')).toMatchObject({
      value: true,
      because: expect.stringContaining('paging rate') as string,
    });
  });

  it("explains a blocking accuracy incident against the model's own threshold", () => {
    const s = deriveReliabilityScores({
      ...base,
      rule: 'accuracy',
      severity: 'warning',
      observed: 0.88,
      threshold: 0.9,
      tier: 2,
      valueAtRiskPerHour: null,
    });
    expect(s.explanation.find((e) => e.subject === 'blocksAdoption')!.because).toBe(
      "accuracy 0.88 is below 0.9, the model's threshold",
    );
  });

  it('risk follows severity and blocking; urgency follows the cost of delay', () => {
    const s = deriveReliabilityScores({
      ...base,
      severity: 'warning',
      blocksAdoption: false,
      tier: 2,
      valueAtRiskPerHour: 0,
      costOfDelay: 9999,
    });
    // risk 5; urgency 3 + 1.5·log10(10000) = 9; impact 1 + 0 = 1
    expect(s.scores).toEqual({
      userImpact: 1,
      systemRisk: 5,
      timeCriticality: 9,
      effort: 3,
      confidence: 0.8,
    });
  });

  it('without an estimate: neutral impact, severity-based urgency, low confidence', () => {
    const s = deriveReliabilityScores({
      ...base,
      tier: null,
      valueAtRiskPerHour: null,
      costOfDelay: null,
    });
    expect(s.scores).toEqual({
      userImpact: 5,
      systemRisk: 10,
      timeCriticality: 7,
      effort: 3,
      confidence: 0.5,
    });
  });

  it('rank a critical, priced incident above the monitoring gap of the same tier-1 model', () => {
    // 0.40 EUR per request, 1,200 requests an hour, 100 % errors: 480 EUR/h at risk; 2,000 EUR
    // lost so far.
    const incident = deriveReliabilityScores({
      ...base,
      tier: 1,
      valueAtRiskPerHour: 480,
      costOfDelay: 2000,
    });
    // impact 1 + 2·log10(481) + 1 = 7.36 → 7; risk 8 + 2 = 10;
    // urgency max(7, 3 + 1.5·log10(2001) = 7.95) → 8; 0.8 × 25 ÷ 3 = 6.67
    expect(incident.scores).toEqual({
      userImpact: 7,
      systemRisk: 10,
      timeCriticality: 8,
      effort: 3,
      confidence: 0.8,
    });
    expect(incident.priorityScore).toBe(6.67);
    const gap = deriveDebtScores({
      check: 'labels-timely',
      tier: 1,
      valuePerRequest: 0.4,
      currency: 'EUR',
    });
    // impact 6 + 1 = 7; risk 7; urgency 5; 0.6 × 19 ÷ 3 = 3.8
    expect(gap.scores).toEqual({
      userImpact: 7,
      systemRisk: 7,
      timeCriticality: 5,
      effort: 3,
      confidence: 0.6,
    });
    expect(gap.priorityScore).toBe(3.8);
  });

  it('rank a tier-3 model at 4.8 EUR/h: its critical incident still above its gap, below a tier-1 one', () => {
    const incident = deriveReliabilityScores({
      ...base,
      tier: 3,
      valueAtRiskPerHour: 4.8,
      costOfDelay: 20,
    });
    // impact 1 + 2·log10(5.8) − 1 = 1.53 → 2; risk 10; urgency max(7, 3 + 1.5·log10(21) = 4.98)
    // → 7; 0.8 × 19 ÷ 3 = 5.07
    expect(incident.scores).toMatchObject({ userImpact: 2, systemRisk: 10, timeCriticality: 7 });
    expect(incident.priorityScore).toBe(5.07);
    const gap = deriveDebtScores({
      check: 'labels-timely',
      tier: 3,
      valuePerRequest: 0.004,
      currency: 'EUR',
    });
    // impact 2; risk 7; urgency 3; 0.6 × 12 ÷ 3 = 2.4
    expect(gap.priorityScore).toBe(2.4);
  });

  it('never rank a derived gap above a critical, priced incident, whatever the tier and check', () => {
    const checks = [
      'telemetry-fresh',
      'labels-timely',
      'reference-from-baseline',
      'features-have-reference',
      'latency-telemetry',
      'latency-within-target',
      'has-owner',
      'version-within-cadence',
      'has-kpi-and-value',
      'upstream-declared',
    ];
    for (const tier of [1, 2, 3, null] as const) {
      // The weakest critical incident that is priced: almost nothing at risk, no cost yet.
      const weakest = deriveReliabilityScores({
        ...base,
        blocksAdoption: false,
        tier,
        valueAtRiskPerHour: 0,
        costOfDelay: 0,
      });
      for (const check of checks)
        for (const valuePerRequest of [null, 0.01, 5]) {
          const gap = deriveDebtScores({ check, tier, valuePerRequest, currency: 'EUR' });
          expect(gap.priorityScore).toBeLessThan(weakest.priorityScore);
        }
    }
  });
});
