import { costOfDelay, projectedDeferCost } from './cost-of-delay';
import { deriveReliabilityScores } from './derived-scores';
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

  it('grows with event time while the item stays open', () => {
    const at = (until: string) =>
      costOfDelay(history, 'error_budget', profile, '2026-02-02T08:00:00Z', until).amount;
    expect([
      at('2026-02-02T09:00:00Z'),
      at('2026-02-02T10:00:00Z'),
      at('2026-02-02T12:00:00Z'),
    ]).toEqual([5, 15, 65]);
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
      effort: 5,
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
      effort: 5,
      confidence: 0.5,
    });
  });
});
