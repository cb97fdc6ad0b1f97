import {
  TelemetryValidator,
  type ReliabilityEvent,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import { baseline, prediction, quality, window } from '@fulcrum/testing';
import { DEFAULT_RULE_SETTINGS } from '../settings/rule-settings';
import { clockAt, evaluate } from './model-evaluator';
import { ModelState } from '../model-state/model-state';

/**
 * The README's thresholds, each on both sides of its edge, through the evaluator (records in,
 * events out) rather than through the rule functions alone.
 */
const validator = new TelemetryValidator();
const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5);

function run(records: TelemetryRecord[]): ReliabilityEvent[] {
  const state = new ModelState(records[0].modelId);
  const events: ReliabilityEvent[] = [];
  for (const r of records) {
    const d = validator.validate(r);
    if (!d.ok) throw new Error(d.rejection.message);
    events.push(...evaluate(state, d, DEFAULT_RULE_SETTINGS, clockAt(T0)).events);
  }
  return events;
}

const opened = (events: ReliabilityEvent[], rule: string) =>
  events
    .filter((e) => e.rule === rule && e.type.endsWith('.opened'))
    .map((e) => `${e.severity}@${e.threshold}`);

/** Moves the event-time clock well past the last boundary of interest. */
const tick = (t: number) => prediction('m', t + 10 * MIN);

describe('thresholds through the evaluator', () => {
  it.each([
    [0.85, []], // exactly at the line: not below it
    [0.845, ['warning@0.85']],
    [0.8, ['warning@0.85']], // exactly 0.80 is not below the critical line
    [0.795, ['critical@0.8']],
  ])('accuracy %s over 200 labeled opens %j', (accuracy, expected) => {
    const events = run([quality('m', T0, T0 + 5 * MIN, 200, accuracy * 200), tick(T0 + 5 * MIN)]);
    expect(opened(events, 'accuracy')).toEqual(expected);
  });

  it('accuracy needs 200 labeled predictions: 199 at 0.50 open nothing', () => {
    const events = run([quality('m', T0, T0 + 5 * MIN, 199, 99), tick(T0 + 5 * MIN)]);
    expect(opened(events, 'accuracy')).toEqual([]);
  });

  /** 5 h clean, then 1 h of windows with `errors` per 1,000 requests. */
  function burnHour(errors: number): TelemetryRecord[] {
    const out: TelemetryRecord[] = [];
    for (let i = 0; i < 72; i++)
      out.push(
        window('m', T0 + i * 5 * MIN, T0 + (i + 1) * 5 * MIN, {
          count: 1000,
          errors: i >= 60 ? errors : 0,
        }),
      );
    return [...out, tick(T0 + 72 * 5 * MIN)];
  }

  it('error budget pages only above a 14.4 burn over 1 h and 5 m (7.1 % errors: a ticket, 7.3 %: a page)', () => {
    // 1 h burn 14.2 vs 14.6; the 6 h window (burn ≈ 2.4) stays under 6, so only the 3 d / 6 h
    // pair (> 1) tickets below the paging line.
    expect(opened(run(burnHour(71)), 'error_budget')).toEqual(['warning@1']);
    expect(opened(run(burnHour(73)), 'error_budget')).toEqual(['critical@14.4']);
  });

  it('a long window needs 100 requests: 99 at 50 % errors open nothing, 100 page', () => {
    const one = (count: number) => [
      window('m', T0, T0 + 5 * MIN, { count, errors: Math.floor(count / 2) }),
      tick(T0 + 5 * MIN),
    ];
    expect(opened(run(one(99)), 'error_budget')).toEqual([]);
    expect(opened(run(one(100)), 'error_budget')).toEqual(['critical@14.4']);
  });

  /** A baseline of three numeric features, then 2 h of windows where `amount` has `current`. */
  function driftOf(current: number[]): TelemetryRecord[] {
    const edges = [10, 20, 30, 40];
    const flat = [200, 200, 200, 200, 200];
    const out: TelemetryRecord[] = [
      baseline('m', T0, {
        amount: { type: 'numeric', edges, counts: flat },
        age: { type: 'numeric', edges, counts: flat },
        score: { type: 'numeric', edges, counts: flat },
      }),
    ];
    for (let i = 0; i < 24; i++)
      out.push(
        window('m', T0 + i * 5 * MIN, T0 + (i + 1) * 5 * MIN, {
          count: 100,
          features: {
            amount: { type: 'numeric', edges, counts: current },
            age: { type: 'numeric', edges, counts: flat.map((c) => c / 10) },
            score: { type: 'numeric', edges, counts: flat.map((c) => c / 10) },
          },
        }),
      );
    return [...out, tick(T0 + 24 * 5 * MIN)];
  }

  /** PSI of shares `c` against five equal reference bins, as the README defines it. */
  const psiAgainstFlat = (c: number[]) => {
    const total = c.reduce((a, b) => a + b, 0);
    return c.reduce((sum, x) => sum + (0.2 - x / total) * Math.log(0.2 / (x / total)), 0);
  };

  it('one drifting feature of three with PSI between 0.1 and 0.25 opens a warning', () => {
    const current = [10, 15, 20, 25, 30];
    const psi = psiAgainstFlat(current);
    expect(psi).toBeGreaterThan(0.1);
    expect(psi).toBeLessThan(0.25);
    const events = run(driftOf(current));
    expect(opened(events, 'feature_drift')).toEqual(['warning@0.1']);
    const evidence = events[0].evidence as { features: Record<string, { drifting: boolean }> };
    expect(
      Object.entries(evidence.features)
        .filter(([, f]) => f.drifting)
        .map(([n]) => n),
    ).toEqual(['amount']);
  });

  it('PSI under 0.1 opens nothing; PSI at or over 0.25 is critical even for one feature of three', () => {
    const mild = [17, 20, 20, 20, 23];
    expect(psiAgainstFlat(mild)).toBeLessThan(0.1);
    expect(opened(run(driftOf(mild)), 'feature_drift')).toEqual([]);
    const strong = [5, 15, 20, 25, 35];
    expect(psiAgainstFlat(strong)).toBeGreaterThanOrEqual(0.25);
    expect(opened(run(driftOf(strong)), 'feature_drift')).toEqual(['critical@0.1']);
  });
});
