/**
 * Accuracy estimated from scores alone, before the labels arrive (confidence-based performance
 * estimation, as NannyML's CBPE does it for a binary classifier): calibrate the scores against a
 * labeled reference, then a window's expected accuracy is the mean probability of each prediction
 * being right. All O(score bins): the reference is counts and positives per bin, a window counts per
 * bin and predicted label — never rows.
 */

/** How far back labels may arrive and still be compared with the estimate (hours of estimates kept). */
export const ERROR_SPAN_HOURS = 24;

/** One estimate over the newest scored predictions before a boundary. */
export interface EstimateWindow {
  start: number;
  end: number;
  predictions: number;
  estimate: number;
}

/**
 * Weighted pool-adjacent-violators: the non-decreasing sequence closest to `values` in weighted
 * least squares (what isotonic regression fits). Entries of weight 0 are left out of the fit and
 * take the value of the nearest fitted entry before them (after them, at the start).
 */
export function poolAdjacentViolators(values: number[], weights: number[]): number[] {
  const blocks: { value: number; weight: number; members: number[] }[] = [];
  for (let i = 0; i < values.length; i++) {
    if (!(weights[i] > 0)) continue;
    blocks.push({ value: values[i], weight: weights[i], members: [i] });
    while (blocks.length > 1 && blocks[blocks.length - 2].value > blocks[blocks.length - 1].value) {
      const b = blocks.pop()!;
      const a = blocks[blocks.length - 1];
      a.value = (a.value * a.weight + b.value * b.weight) / (a.weight + b.weight);
      a.weight += b.weight;
      a.members.push(...b.members);
    }
  }
  const out = new Array<number>(values.length).fill(Number.NaN);
  for (const b of blocks) for (const i of b.members) out[i] = b.value;
  let last = blocks.length > 0 ? blocks[0].value : 0;
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i])) out[i] = last;
    else last = out[i];
  }
  return out;
}

/**
 * Calibrated probability of the positive class per score bin (bins in ascending score order), from
 * the reference's counts and positives per bin. A bin the reference never saw takes the value of
 * the bin below it.
 */
export function calibrate(bins: { count: number; positives: number }[]): number[] {
  return poolAdjacentViolators(
    bins.map((b) => (b.count > 0 ? b.positives / b.count : 0)),
    bins.map((b) => b.count),
  );
}

export interface AccuracyEstimate {
  /** Expected accuracy of the window's predictions. */
  estimate: number;
  predictions: number;
  /** Standard error of a window this size: √(a(1 − a)/n) with a the reference's realized accuracy. */
  samplingError: number;
  /** estimate ± 3 sampling errors, within [0, 1], as NannyML reports its confidence bounds. */
  lower: number;
  upper: number;
}

/**
 * The expected accuracy of a window from its counts per score bin and predicted label (`negative`
 * = predicted 0, `positive` = predicted 1, aligned with `calibrated`): a prediction of 1 is right
 * with the bin's calibrated probability p, a prediction of 0 with 1 − p.
 */
export function estimateAccuracy(
  window: { negative: number[]; positive: number[] },
  calibrated: number[],
  referenceAccuracy: number,
): AccuracyEstimate | null {
  let right = 0;
  let n = 0;
  for (let i = 0; i < calibrated.length; i++) {
    const p = calibrated[i];
    const ones = window.positive[i] ?? 0;
    const zeros = window.negative[i] ?? 0;
    right += ones * p + zeros * (1 - p);
    n += ones + zeros;
  }
  if (n === 0) return null;
  const estimate = right / n;
  const [lower, upper] = estimateBounds({ estimate, predictions: n }, referenceAccuracy);
  return {
    estimate,
    predictions: n,
    samplingError: samplingError(referenceAccuracy, n),
    lower,
    upper,
  };
}

/** Standard error of a window's estimate, as NannyML reports it: √(a(1 − a)/n), a the reference accuracy. */
export function samplingError(referenceAccuracy: number, predictions: number): number {
  return Math.sqrt((referenceAccuracy * (1 - referenceAccuracy)) / predictions);
}

/** estimate ± 3 standard errors within [0, 1]: NannyML's confidence band. */
export function estimateBounds(
  e: Pick<EstimateWindow, 'estimate' | 'predictions'>,
  referenceAccuracy: number,
): [number, number] {
  const se = samplingError(referenceAccuracy, e.predictions);
  return [Math.max(0, e.estimate - 3 * se), Math.min(1, e.estimate + 3 * se)];
}
