import type {
  Calibration,
  CategoricalHistogram,
  FeatureValue,
  NumericHistogram,
} from './telemetry-record';

/**
 * How Fulcrum bins values, as the contract defines histograms: edges are upper bounds, inclusive —
 * bin i holds (edges[i−1], edges[i]] and the last bin is open. `numpy.histogram` cuts the other way
 * ([edges[i], edges[i+1]), last bin closed), so a producer binning with it puts every value that
 * equals an edge one bin higher — on an integer feature with integer edges that is most values,
 * and the drift rule reads heavy drift on undrifted data. Binning with these functions (the
 * reference-file tool does) avoids it.
 */

/**
 * Cut points at the reference's quantiles: `bins − 1` strictly ascending edges (duplicates from
 * heavy ties collapse, giving fewer bins).
 */
export function quantileEdges(sorted: ArrayLike<number>, bins: number): number[] {
  const edges: number[] = [];
  const n = sorted.length;
  if (n === 0) return edges;
  for (let k = 1; k < bins; k++) {
    const position = (k / bins) * (n - 1);
    const lo = Math.floor(position);
    const hi = Math.min(lo + 1, n - 1);
    const value = sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    if (edges.length === 0 || value > edges[edges.length - 1]) edges.push(value);
  }
  return edges;
}

/** The bin of `value` for upper-bound edges: bin i holds (edges[i−1], edges[i]]; the last is open. */
export function binIndex(edges: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Counts of ascending values in the bins of ascending upper-bound edges (as binIndex draws them). */
export function sweepCounts(sorted: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (bin < edges.length && sorted[i] > edges[bin]) bin++;
    counts[bin]++;
  }
  return counts;
}

/**
 * A numeric feature's histogram the way ingestion builds its own reference: `bins` quantile bins,
 * then the counts. Null when there are no values or they are all equal (no edge to cut at).
 */
export function numericHistogram(values: number[], bins: number): NumericHistogram | null {
  const sorted = Float64Array.from(values).sort();
  const edges = quantileEdges(sorted, bins);
  if (edges.length === 0) return null;
  return { type: 'numeric', edges, counts: sweepCounts(sorted, edges) };
}

/** Every category counted; booleans count as "true" / "false", as the contract reads them. */
export function categoricalHistogram(values: FeatureValue[]): CategoricalHistogram | null {
  const counts: Record<string, number> = {};
  let any = false;
  for (const v of values) {
    if (v === null) continue;
    const key = String(v);
    counts[key] = (counts[key] ?? 0) + 1;
    any = true;
  }
  return any ? { type: 'categorical', counts } : null;
}

/** Score bins of equal width: `bins` bins over [0, 1], upper edges 1/bins … (bins − 1)/bins. */
export function scoreEdges(bins: number): number[] {
  return Array.from({ length: bins - 1 }, (_, i) => Number(((i + 1) / bins).toFixed(12)));
}

/**
 * A calibration section from labeled reference rows: per score bin the predictions and how many
 * were truly positive, and how many predictions were right overall.
 */
export function calibrationOf(
  rows: { score: number; predicted: 0 | 1; actual: 0 | 1 }[],
  edges: number[],
): Calibration {
  const counts = new Array<number>(edges.length + 1).fill(0);
  const positives = new Array<number>(edges.length + 1).fill(0);
  let correct = 0;
  for (const r of rows) {
    const bin = binIndex(edges, r.score);
    counts[bin]++;
    positives[bin] += r.actual;
    if (r.predicted === r.actual) correct++;
  }
  return { edges, counts, positives, correct };
}
