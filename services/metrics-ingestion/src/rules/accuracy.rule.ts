import type { EventWindow, Severity } from '@fulcrum/contracts';
import type { RuleSettings } from '../settings/rule-settings';
import { isoWindow, UNKNOWN, type Verdict } from './verdict';

/** The most recent quality windows, newest last; a fixed number are kept. */
export interface QualityWindow {
  start: number;
  end: number;
  labeled: number;
  correct: number;
  /** Event time of the quality record that reported it: known to evaluations after this. */
  at?: number;
}

export const QUALITY_WINDOWS_KEPT = 64;

/**
 * Inserts in window order (end, then start, then the rest, so ties do not depend on arrival) and
 * drops the oldest beyond the cap.
 */
export function recordQuality(windows: QualityWindow[], w: QualityWindow): void {
  let i = windows.length;
  while (i > 0 && compareWindows(windows[i - 1], w) > 0) i--;
  windows.splice(i, 0, w);
  if (windows.length > QUALITY_WINDOWS_KEPT) windows.shift();
}

/** One-sided 99 % normal quantile: the confidence a severity change needs. */
const Z = 2.3263478740408408;

/**
 * Wilson score interval of a proportion: unlike the plain normal interval it stays inside [0, 1]
 * and is not zero-width when every label is right (or wrong), which small label counts hit often.
 */
export function wilsonBounds(correct: number, labeled: number, z = Z): [number, number] {
  const p = correct / labeled;
  const z2n = (z * z) / labeled;
  const centre = p + z2n / 2;
  const spread = z * Math.sqrt((p * (1 - p)) / labeled + z2n / (4 * labeled));
  return [(centre - spread) / (1 + z2n), (centre + spread) / (1 + z2n)];
}

/**
 * Accuracy over the most recent quality windows that together hold at least `minLabeled` labeled
 * predictions, among those reported before event time `before` (an evaluation boundary: what was
 * known then, whatever order the records arrived in). Below `warningBelow` is a breach; at or above
 * `resolveAtOrAbove` is clear; the band in between holds (hysteresis).
 *
 * Severity is steadier than the point estimate: an incident opens as critical when accuracy is
 * below `criticalBelow`, but once open (`current`) its severity changes only when the labels show
 * it with 99 % one-sided confidence — escalate when even the upper Wilson bound is below
 * `criticalBelow`, calm down when even the lower bound is at or above it. With ~400 labels a window
 * the sampling error (±0.018 at 0.83) is larger than the gap to the critical line, so judging
 * severity on the point estimate would flip it on noise alone.
 */
export function evaluateAccuracy(
  windows: QualityWindow[],
  s: RuleSettings['accuracy'],
  before = Infinity,
  current?: Severity,
): Verdict {
  let labeled = 0;
  let correct = 0;
  let start = Infinity;
  let end = -Infinity;
  let used = 0;
  for (let i = windows.length - 1; i >= 0 && labeled < s.minLabeled; i--) {
    const w = windows[i];
    if (w.at !== undefined && w.at >= before) continue;
    labeled += w.labeled;
    correct += w.correct;
    start = Math.min(start, w.start);
    end = Math.max(end, w.end);
    used++;
  }
  if (labeled < s.minLabeled || labeled === 0) return UNKNOWN;
  const accuracy = correct / labeled;
  const observed = Math.round(accuracy * 1e4) / 1e4;
  const window = isoWindow(start, end);
  const [lower, upper] = wilsonBounds(correct, labeled);
  const evidence = {
    labeled,
    correct,
    qualityWindows: used,
    lowerBound: Math.round(lower * 1e4) / 1e4,
    upperBound: Math.round(upper * 1e4) / 1e4,
  };
  return judgeAccuracy(accuracy, [lower, upper], s, { observed, window, evidence }, current);
}

/**
 * The accuracy lines applied to a value with its confidence band, measured or estimated: below
 * `warningBelow` a breach (unless `mayBreach` is false: then it only holds), critical below
 * `criticalBelow` — once open, only when the whole band says so — and clear at `resolveAtOrAbove`.
 */
export function judgeAccuracy(
  value: number,
  [lower, upper]: [number, number],
  s: RuleSettings['accuracy'],
  shown: { observed: number; window: EventWindow; evidence: Record<string, unknown> },
  current?: Severity,
  mayBreach = true,
): Verdict {
  if (value < s.warningBelow && mayBreach) {
    let critical = value < s.criticalBelow;
    if (current === 'critical') critical = lower < s.criticalBelow;
    else if (current === 'warning') critical = upper < s.criticalBelow;
    return {
      status: 'breach',
      severity: critical ? 'critical' : 'warning',
      threshold: critical ? s.criticalBelow : s.warningBelow,
      ...shown,
    };
  }
  return {
    status: value >= s.resolveAtOrAbove ? 'clear' : 'hold',
    threshold: s.warningBelow,
    ...shown,
  };
}

function compareWindows(a: QualityWindow, b: QualityWindow): number {
  return (
    a.end - b.end ||
    a.start - b.start ||
    (a.at ?? 0) - (b.at ?? 0) ||
    a.labeled - b.labeled ||
    a.correct - b.correct
  );
}
