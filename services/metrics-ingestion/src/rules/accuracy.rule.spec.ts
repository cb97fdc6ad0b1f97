import {
  evaluateAccuracy,
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
});
