import type { Severity } from '@fulcrum/contracts';
import { trackIncident, type OpenIncident } from '../incidents/incident';
import {
  evaluateAccuracy,
  wilsonBounds,
  QUALITY_WINDOWS_KEPT,
  recordQuality,
  type QualityWindow,
} from './accuracy.rule';
import { DEFAULT_RULE_SETTINGS } from '../settings/rule-settings';

const s = DEFAULT_RULE_SETTINGS.accuracy;
const w = (i: number, labeled: number, correct: number): QualityWindow => ({
  start: i * 1000,
  end: (i + 1) * 1000,
  labeled,
  correct,
});

describe('accuracy rule', () => {
  it('is unknown below 200 labeled predictions (low traffic)', () => {
    expect(evaluateAccuracy([w(0, 150, 10)], s).status).toBe('unknown');
  });

  it('opens a warning below 0.85 and a critical below 0.80', () => {
    expect(evaluateAccuracy([w(0, 200, 168)], s)).toMatchObject({
      status: 'breach',
      severity: 'warning',
      observed: 0.84,
      threshold: 0.85,
    });
    expect(evaluateAccuracy([w(0, 200, 150)], s)).toMatchObject({
      status: 'breach',
      severity: 'critical',
      observed: 0.75,
      threshold: 0.8,
    });
  });

  it('uses only the newest windows that reach 200 labeled', () => {
    // old window is terrible, the two newest (100 + 100 labeled) are at 0.9
    const windows = [w(0, 500, 0), w(1, 100, 90), w(2, 100, 90)];
    expect(evaluateAccuracy(windows, s)).toMatchObject({
      status: 'clear',
      observed: 0.9,
      evidence: { labeled: 200, qualityWindows: 2 },
    });
  });

  it('holds in the hysteresis band [0.85, 0.87)', () => {
    expect(evaluateAccuracy([w(0, 200, 172)], s).status).toBe('hold');
    expect(evaluateAccuracy([w(0, 200, 174)], s).status).toBe('clear');
  });

  it('keeps quality windows ordered by end and bounded', () => {
    const windows: QualityWindow[] = [];
    recordQuality(windows, w(5, 1, 1));
    recordQuality(windows, w(3, 1, 1));
    expect(windows.map((x) => x.end)).toEqual([4000, 6000]);
    for (let i = 10; i < 200; i++) recordQuality(windows, w(i, 1, 1));
    expect(windows).toHaveLength(QUALITY_WINDOWS_KEPT);
  });

  it('gives the Wilson score bounds statsmodels gives (proportion_confint, method="wilson", alpha=0.02)', () => {
    const [lo, hi] = wilsonBounds(171, 200);
    expect(lo).toBeCloseTo(0.78774, 5);
    expect(hi).toBeCloseTo(0.90356, 5);
    const [allLo, allHi] = wilsonBounds(200, 200);
    expect(allLo).toBeCloseTo(0.97365, 5);
    expect(allHi).toBe(1);
  });

  it('changes the severity of an open incident only when the bounds are past the critical line', () => {
    // 0.79 on 416 labels: bounds 0.741–0.833 straddle 0.80 — an open warning stays a warning.
    expect(evaluateAccuracy([w(0, 416, 329)], s, Infinity, 'warning')).toMatchObject({
      severity: 'warning',
      threshold: 0.85,
    });
    // Opening at the same accuracy judges the point estimate: critical.
    expect(evaluateAccuracy([w(0, 416, 329)], s)).toMatchObject({ severity: 'critical' });
    // 0.70: upper bound 0.749 < 0.80 — escalates.
    expect(evaluateAccuracy([w(0, 416, 291)], s, Infinity, 'warning')).toMatchObject({
      severity: 'critical',
      threshold: 0.8,
    });
    // Back at 0.83 on 416 labels: lower bound 0.782 < 0.80 — a critical incident holds …
    expect(evaluateAccuracy([w(0, 416, 345)], s, Infinity, 'critical')).toMatchObject({
      severity: 'critical',
    });
    // … and calms down once the lower bound clears the line (0.8486: lower 0.803).
    expect(evaluateAccuracy([w(0, 416, 353)], s, Infinity, 'critical')).toMatchObject({
      severity: 'warning',
    });
  });

  it('keeps a steady severity on a noisy stream at a true 0.83 (416 labels a window, 42 h)', () => {
    // mulberry32: a seeded generator, so the stream is the same on every run.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const windows: QualityWindow[] = [];
    let open: OpenIncident | undefined;
    const transitions: string[] = [];
    let pointFlips = 0;
    let lastPoint: Severity | undefined;
    for (let i = 0; i < 42 * 12; i++) {
      let correct = 0;
      for (let k = 0; k < 416; k++) if (random() < 0.83) correct++;
      recordQuality(windows, w(i, 416, correct));
      const v = evaluateAccuracy(windows, s, Infinity, open?.severity);
      const { next, event } = trackIncident(open, v, {
        modelId: 'noisy',
        modelVersion: 'v1',
        rule: 'accuracy',
        at: (i + 1) * 1000,
        cooldownMs: s.cooldownMs,
        emittedAt: '2026-01-01T00:00:00.000Z',
      });
      open = next;
      if (event) transitions.push(`${event.type}:${event.severity}`);
      // What judging severity on the point estimate alone would have done.
      const point: Severity = correct / 416 < s.criticalBelow ? 'critical' : 'warning';
      if (lastPoint && point !== lastPoint) pointFlips++;
      lastPoint = point;
    }
    expect(pointFlips).toBeGreaterThan(10); // the noise is real: the point estimate crosses 0.80
    expect(transitions).toEqual(['accuracy.opened:warning']);
  });
});
