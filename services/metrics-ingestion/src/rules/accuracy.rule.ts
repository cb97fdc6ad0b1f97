import type { RuleSettings } from './rule-settings';
import { isoWindow, UNKNOWN, type Verdict } from './verdict';

/** The most recent quality windows, newest last; a fixed number are kept. */
export interface QualityWindow {
  start: number;
  end: number;
  labeled: number;
  correct: number;
}

export const QUALITY_WINDOWS_KEPT = 64;

/** Inserts in windowEnd order and drops the oldest beyond the cap. */
export function recordQuality(windows: QualityWindow[], w: QualityWindow): void {
  let i = windows.length;
  while (i > 0 && windows[i - 1].end > w.end) i--;
  windows.splice(i, 0, w);
  if (windows.length > QUALITY_WINDOWS_KEPT) windows.shift();
}

/**
 * Accuracy over the most recent quality windows that together hold at least `minLabeled` labeled
 * predictions. Below `warningBelow` (critical below `criticalBelow`) is a breach; at or above
 * `resolveAtOrAbove` is clear; the band in between holds (hysteresis).
 */
export function evaluateAccuracy(windows: QualityWindow[], s: RuleSettings['accuracy']): Verdict {
  let labeled = 0;
  let correct = 0;
  let start = Infinity;
  let used = 0;
  for (let i = windows.length - 1; i >= 0 && labeled < s.minLabeled; i--) {
    labeled += windows[i].labeled;
    correct += windows[i].correct;
    start = Math.min(start, windows[i].start);
    used++;
  }
  if (labeled < s.minLabeled) return UNKNOWN;
  const end = windows[windows.length - 1].end;
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
