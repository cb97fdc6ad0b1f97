import type { Severity } from '@fulcrum/contracts';
import {
  ERROR_SPAN_HOURS,
  estimateBounds,
  samplingError,
  type EstimateWindow,
} from './accuracy-estimate';
import { judgeAccuracy, type QualityWindow } from './accuracy.rule';
import type { RuleSettings } from '../settings/rule-settings';
import { isoWindow, UNKNOWN, type Verdict } from './verdict';

const round = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * The accuracy thresholds applied to the estimate, with the realized rule's hysteresis and its
 * steadiness: once open, severity changes only when the whole ±3σ band is on the other side of
 * the critical line. While labels have refuted an estimated incident (`refuted`), a breach only
 * holds: the labels are the better witness until the estimate comes back above the line.
 */
export function evaluateEstimatedAccuracy(
  e: EstimateWindow | null,
  referenceAccuracy: number,
  s: RuleSettings['accuracy'],
  current?: Severity,
  refuted = false,
): Verdict {
  if (!e) return UNKNOWN;
  const [lower, upper] = estimateBounds(e, referenceAccuracy);
  const observed = round(e.estimate);
  const window = isoWindow(e.start, e.end);
  const evidence = {
    basis: 'estimated',
    method: 'confidence-based performance estimation',
    predictions: e.predictions,
    lowerBound: round(lower),
    upperBound: round(upper),
    samplingError: round(samplingError(referenceAccuracy, e.predictions)),
  };
  return judgeAccuracy(
    e.estimate,
    [lower, upper],
    s,
    { observed, window, evidence },
    current,
    !refuted,
  );
}

/**
 * How far the estimate was from the labels: the mean of (estimate − realized accuracy) over the
 * quality windows reported before `at` that end within the last day, each compared with the
 * estimate over the whole hours covering it (exact for hour-aligned quality windows). Null when no
 * window has both. CBPE assumes scores relate to outcomes as in the reference; a mean far from 0
 * says that relation changed (concept shift), which the estimate itself cannot see.
 */
export function estimateError(
  quality: readonly QualityWindow[],
  /** The estimate over the whole hours covering [start, end), null when none is kept. */
  estimateOver: (start: number, end: number) => number | null,
  at: number,
): { mean: number; windows: number } | null {
  let sum = 0;
  let n = 0;
  const since = at - ERROR_SPAN_HOURS * 3_600_000;
  for (const w of quality) {
    if ((w.at !== undefined && w.at >= at) || w.end <= since || w.end > at || w.labeled === 0)
      continue;
    const estimated = estimateOver(w.start, w.end);
    if (estimated === null) continue;
    sum += estimated - w.correct / w.labeled;
    n++;
  }
  return n > 0 ? { mean: round(sum / n), windows: n } : null;
}
