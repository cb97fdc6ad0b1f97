import { burnRate, evaluateBurnRate } from './burn-rate.rule';
import { DEFAULT_RULE_SETTINGS } from '../settings/rule-settings';
import { ERRORS, SloCounters } from './slo-counters';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const alerts = DEFAULT_RULE_SETTINGS.burnRateAlerts;

/** Given per-minute traffic of `total` requests with `errors` errors over `minutes` up to T0+minutes. */
function given(
  minutes: number,
  perMinute: (m: number) => [total: number, errors: number],
): SloCounters {
  const c = new SloCounters();
  for (let m = 0; m < minutes; m++) {
    const [total, errors] = perMinute(m);
    c.add(T0 + m * MIN, total, errors, 0);
  }
  return c;
}

const evaluate = (c: SloCounters, end: number, minEvents = 100) =>
  evaluateBurnRate({ counters: c, end, badIndex: ERRORS, objective: 0.995, alerts, minEvents });

describe('burn-rate rule (error budget, objective 99.5 %)', () => {
  it('burn rate = error ratio / (1 - objective)', () => {
    expect(burnRate(1000, 5, 0.995)).toBeCloseTo(1, 10);
    expect(burnRate(1000, 72, 0.995)).toBeCloseTo(14.4, 10);
    expect(burnRate(0, 0, 0.995)).toBe(0);
  });

  it('pages (critical) when both the 1 h and 5 m windows burn above 14.4', () => {
    // 10 % errors for the whole hour: burn 20 in both windows.
    const c = given(60, () => [100, 10]);
    const v = evaluate(c, T0 + 60 * MIN);
    expect(v).toMatchObject({
      status: 'breach',
      severity: 'critical',
      observed: 20,
      threshold: 14.4,
    });
  });

  it('a brief spike after hours of clean traffic does not page: 5 minutes of 50 % errors opens only a ticket', () => {
    // 7 h at 100/min, the last 5 min at 50 % errors, judged at the hour: 1 h burn 8.33 < 14.4,
    // 6 h burn 1.39 < 6, 1 d burn 1.19 < 3; only the 3 d / 6 h pair (1.19 and 1.39 > 1) fires.
    const c = given(7 * 60, (m) => (m >= 7 * 60 - 5 ? [100, 50] : [100, 0]));
    const v = evaluate(c, T0 + 7 * 60 * MIN);
    expect(v).toMatchObject({ status: 'breach', severity: 'warning', threshold: 1 });
  });

  it('with only an hour of history the same spike pages, through the 6 h pair', () => {
    // 55 clean minutes then 5 minutes of 50 % errors: 5 m burn 100, 1 h burn 8.3 -> no 14.4 page;
    // the 6 h window holds the same hour (8.3 > 6) and its 30 m short window 16.7 > 6 -> critical.
    const c = given(60, (m) => (m >= 55 ? [100, 50] : [100, 0]));
    const v = evaluate(c, T0 + 60 * MIN);
    expect(v).toMatchObject({ status: 'breach', severity: 'critical', threshold: 6 });
  });

  it('raises a ticket (warning) for a slow burn: 2 % errors for a day', () => {
    const c = given(24 * 60, () => [10, 0.2]);
    const v = evaluate(c, T0 + 24 * 60 * MIN);
    // burn 4: above 3 (1 d & 2 h) but below 6 and 14.4.
    expect(v).toMatchObject({ status: 'breach', severity: 'warning', threshold: 3 });
  });

  it('low traffic never pages: 50 % errors over 40 requests is unknown', () => {
    const c = given(60, (m) => (m % 3 === 0 ? [2, 1] : [0, 0]));
    expect(evaluate(c, T0 + 60 * MIN).status).toBe('unknown');
  });

  it('keeps burning through the 6 h pair after the last 5 minutes turn clean', () => {
    const c = given(60, () => [100, 10]);
    for (let m = 60; m < 65; m++) c.add(T0 + m * MIN, 100, 0, 0);
    expect(evaluate(c, T0 + 65 * MIN)).toMatchObject({ status: 'breach', threshold: 6 });
  });

  it('holds while a short window burns but no long window does, clears when none burns', () => {
    // 6 h clean at 100/min, then one minute of 100 % errors: 5 m burn 40 and 30 m burn 6.7 exceed
    // their factors, but 1 h (3.3) and 6 h (0.6) do not -> hold (neither opens nor resolves).
    const c = given(360, (m) => (m === 359 ? [100, 100] : [100, 0]));
    expect(evaluate(c, T0 + 360 * MIN).status).toBe('hold');
    const healthy = given(60, () => [100, 0]);
    expect(evaluate(healthy, T0 + 60 * MIN).status).toBe('clear');
  });
});
