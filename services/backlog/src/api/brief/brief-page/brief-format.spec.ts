import {
  accuracyText,
  allocationBody,
  hourLabel,
  idempotencyKey,
  minuteUtc,
  money,
  pct,
  trendSeries,
} from './client/brief-format';
import type { BriefView, Thresholds } from './client/brief-types';

const defaults: Thresholds = {
  accuracy: 0.85,
  accuracyCritical: 0.8,
  errorRatio: 0.005,
  slowRatio: 0.01,
  drift: 0.25,
};

describe("the brief page's formatting", () => {
  it('writes money with at most two decimals and its currency, and says when there is no estimate', () => {
    expect(money(1234.567, 'EUR')).toBe('1,234.57 EUR');
    expect(money(0, 'USD')).toBe('0 USD');
    expect(money(null, 'EUR')).toBe('not estimated');
  });

  it('writes ratios as percentages with one decimal', () => {
    expect(pct(0.8333)).toBe('83.3 %');
    expect(pct(1)).toBe('100 %');
    expect(pct(null)).toBe('–');
  });

  it('writes times to the minute and trend hours as month-day hour', () => {
    expect(minuteUtc('2026-03-02T09:05:59.000Z')).toBe('2026-03-02 09:05');
    expect(hourLabel('2026-03-02T09:00:00.000Z')).toBe('03-02 09');
  });

  it("draws a model's own thresholds, the defaults when its status has none", () => {
    const h = {
      modelId: 'm',
      blocksAdoption: false,
      why: [],
      openIncidents: [],
      trend: [
        {
          hour: '2026-03-02T09:00:00.000Z',
          accuracy: 0.9,
          errorRatio: 0,
          slowRatio: 0.02,
          driftScore: 0.1,
        },
        {
          hour: '2026-03-02T10:00:00.000Z',
          accuracy: null,
          errorRatio: 0.1,
          slowRatio: 0,
          driftScore: 0,
        },
      ],
    } satisfies BriefView['health'][number];
    const lines = trendSeries(h, defaults);
    expect(lines.map((l) => l.label)).toEqual([
      'accuracy',
      'accuracy threshold 0.85',
      'error ratio',
      'slow ratio',
      'slow-ratio target',
      'drift score',
    ]);
    expect(lines[0].data).toEqual([0.9, null]);
    expect(lines[1]).toMatchObject({ data: [0.85, 0.85], dash: [6, 4] });
    const own = trendSeries({ ...h, thresholds: { ...defaults, accuracy: 0.9 } }, defaults);
    expect(own[1]).toMatchObject({ label: 'accuracy threshold 0.9', data: [0.9, 0.9] });
  });

  it('turns the allocation form into the API body; an empty deviation is left out', () => {
    expect(
      allocationBody({
        capability: 70,
        reliability: 30,
        criticalFeature: 60,
        innovation: 10,
        modelHygiene: 25,
        technicalDebt: 5,
        deviation: '',
      }),
    ).toEqual({
      byBacklog: { capability: 70, reliability: 30 },
      byQuadrant: {
        'critical-feature': 60,
        innovation: 10,
        'model-hygiene': 25,
        'technical-debt': 5,
      },
      deviationRationale: undefined,
    });
  });

  it('makes a distinct Idempotency-Key per write', () => {
    expect(idempotencyKey(1700000000000, 0.123456789)).toBe(
      `brief-1700000000000-${(0.123456789).toString(36).slice(2, 10)}`,
    );
    expect(idempotencyKey(1, 0.1)).not.toBe(idempotencyKey(1, 0.2));
  });
});

describe('accuracyText', () => {
  it('writes the estimate as an estimate, beside the measurement or alone', () => {
    expect(accuracyText({ accuracy: 0.912, estimatedAccuracy: 0.9 })).toBe(
      '91.2 % (estimated 90 %)',
    );
    expect(accuracyText({ accuracy: null, estimatedAccuracy: 0.8049 })).toBe('estimated 80.5 %');
    expect(accuracyText({ accuracy: 0.9, estimatedAccuracy: null })).toBe('90 %');
    expect(accuracyText(undefined)).toBe('–');
  });
});
