import {
  accuracyText,
  allocationBody,
  hourLabel,
  idempotencyKey,
  minuteUtc,
  money,
  pct,
  committedShare,
  dayTicks,
  facets,
  filterModels,
  hourly,
  linePath,
  NO_FILTER,
  trendStrips,
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

  it("draws each strip against the model's own lines, the defaults when its status has none", () => {
    const h = {
      modelId: 'm',
      team: null,
      tier: null,
      blocksAdoption: false,
      why: [],
      openIncidents: [],
      latest: null,
      trendIncluded: true,
      trend: [
        {
          hour: '2026-03-02T09:00:00.000Z',
          accuracy: 0.9,
          errorRatio: 0,
          slowRatio: 0.02,
          driftScore: 0.1,
        },
        {
          hour: '2026-03-02T12:00:00.000Z',
          accuracy: null,
          errorRatio: 0.1,
          slowRatio: 0,
          driftScore: 0.7,
        },
      ],
    } satisfies BriefView['health'][number];
    const { hours, strips } = trendStrips(h, defaults);
    expect(hours).toBe(4);
    expect(strips.map((s) => s.name)).toEqual(['accuracy', 'error and slow ratio', 'drift score']);
    // Hours without a status are gaps, not interpolated.
    expect(strips[0].series[0].values).toEqual([0.9, null, null, null]);
    expect(strips[0].thresholds).toEqual([{ label: '85 %', value: 0.85 }]);
    // The scale goes below the critical line so a breach is drawn below it.
    expect(strips[0].min).toBeLessThan(0.8);
    expect(strips[1].thresholds.map((t) => t.label)).toEqual(['error 0.5 %', 'slow 1 %']);
    expect(strips[1].max).toBeGreaterThanOrEqual(0.1);
    expect(strips[2].max).toBe(1);
    const own = trendStrips({ ...h, thresholds: { ...defaults, accuracy: 0.9 } }, defaults);
    expect(own.strips[0].thresholds).toEqual([{ label: '90 %', value: 0.9 }]);
  });

  it('aligns a trend by hour and breaks its line where an hour is missing', () => {
    const { values } = hourly(
      [
        {
          hour: '2026-03-02T09:00:00.000Z',
          accuracy: 1,
          errorRatio: 0,
          slowRatio: 0,
          driftScore: 0,
        },
        {
          hour: '2026-03-02T10:00:00.000Z',
          accuracy: 0.5,
          errorRatio: 0,
          slowRatio: 0,
          driftScore: 0,
        },
        {
          hour: '2026-03-02T12:00:00.000Z',
          accuracy: 0,
          errorRatio: 0,
          slowRatio: 0,
          driftScore: 0,
        },
      ],
      (p) => p.accuracy,
    );
    expect(values).toEqual([1, 0.5, null, 0]);
    const y = (v: number) => 100 - v * 100;
    // Two segments: the first two hours joined, the last hour alone as a short dash.
    expect(linePath(values, 0, 30, y)).toBe('M0 0L10 50M29 100H31');
    expect(linePath([null, null], 0, 10, y)).toBe('');
  });

  it('labels midnights on the hour axis, thinned to a readable number', () => {
    const start = Date.parse('2026-03-01T20:00:00.000Z');
    expect(dayTicks(start, 30)).toEqual([
      { index: 4, label: '03-02' },
      { index: 28, label: '03-03' },
    ]);
    expect(dayTicks(start, 28)).toEqual([{ index: 4, label: '03-02' }]);
    expect(dayTicks(start, 14 * 24).length).toBeLessThanOrEqual(7);
  });

  it('filters models by search, team, tier and state, keeping the brief order', () => {
    const m = (
      modelId: string,
      team: string | null,
      tier: number | null,
      blocks: boolean,
      incidents: number,
    ) => ({
      modelId,
      team,
      tier,
      blocksAdoption: blocks,
      openIncidents: Array.from({ length: incidents }, () => ({ rule: 'r', severity: 's' })),
    });
    const all = [
      m('fraud', 'risk', 1, true, 1),
      m('churn', 'growth', 2, false, 1),
      m('ads', 'growth', 3, false, 0),
      m('raw', null, null, false, 0),
    ];
    const ids = (f: Partial<typeof NO_FILTER>) =>
      filterModels(all, { ...NO_FILTER, ...f }).map((x) => x.modelId);
    expect(ids({})).toEqual(['fraud', 'churn', 'ads', 'raw']);
    expect(ids({ query: 'GROW' })).toEqual(['churn', 'ads']);
    expect(ids({ team: 'growth', state: 'incident' })).toEqual(['churn']);
    expect(ids({ tier: '1' })).toEqual(['fraud']);
    expect(ids({ state: 'blocking' })).toEqual(['fraud']);
    expect(ids({ state: 'healthy' })).toEqual(['ads', 'raw']);
    expect(facets(all)).toEqual({ teams: ['growth', 'risk'], tiers: ['1', '2', '3'] });
  });

  it('weighs the committed share by effort, and previews one more commit', () => {
    const effort = (id: string) => ({ big: 8, feat: 2 })[id] ?? 1;
    const decisions = [
      { itemId: 'big', decision: 'commit', backlog: 'reliability' },
      { itemId: 'feat', decision: 'commit', backlog: 'capability' },
      { itemId: 'other', decision: 'defer', backlog: 'reliability' },
    ];
    expect(committedShare([], effort)).toBeNull();
    expect(committedShare(decisions, effort)).toBe(80);
    expect(committedShare(decisions, effort, { itemId: 'x', backlog: 'capability' })).toBe(72.7);
    // An item already committed is not counted twice.
    expect(committedShare(decisions, effort, { itemId: 'big', backlog: 'reliability' })).toBe(80);
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
