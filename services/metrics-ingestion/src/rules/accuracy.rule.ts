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

/**
 * Accuracy over the most recent quality windows that together hold at least `minLabeled` labeled
 * predictions, among those reported before event time `before` (an evaluation boundary: what was
 * known then, whatever order the records arrived in). Below `warningBelow` (critical below
 * `criticalBelow`) is a breach; at or above `resolveAtOrAbove` is clear; the band in between holds
 * (hysteresis).
 */
export function evaluateAccuracy(
  windows: QualityWindow[],
  s: RuleSettings['accuracy'],
  before = Infinity,
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
  if (labeled < s.minLabeled) return UNKNOWN;
  const accuracy = correct / labeled;
  const observed = Math.round(accuracy * 1e4) / 1e4;
  const window = isoWindow(start, end);
  const evidence = { labeled, correct, qualityWindows: used };
  if (accuracy < s.warningBelow) {
    const critical = accuracy < s.criticalBelow;
    return {
      status: 'breach',
      severity: critical ? 'critical' : 'warning',
      observed,
      threshold: critical ? s.criticalBelow : s.warningBelow,
      window,
      evidence,
    };
  }
  return {
    status: accuracy >= s.resolveAtOrAbove ? 'clear' : 'hold',
    observed,
    threshold: s.warningBelow,
    window,
    evidence,
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
