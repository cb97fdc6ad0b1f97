import {
  quantileEdges,
  sweepCounts,
  type FeatureHistogram,
  type FeatureValue,
} from '@fulcrum/contracts';

/**
 * The values of the rows a first-N reference is being built from, kept ready for binning: per
 * numeric feature its values in ascending order (see Column), per categorical feature a count per
 * value. Rows come and go as `keepEarliest` keeps the N earliest.
 *
 * Why: binning the rows when the reference is fixed meant gathering and sorting N values per
 * feature (about 1.4 ms a model for 1,000 rows × 12 features), and every model of a rollout fixes
 * its reference at the same evaluation boundary — 200 models held the thread for ~300 ms in the
 * latency benchmark, the last sample of its tail. Spread over the N arrivals, `histograms`
 * is a pass over sorted arrays. Inserting each value in place instead (a shift of up to N doubles)
 * was a quarter of a building model's CPU, while 200 models built together.
 */
export class ReferenceSample {
  private readonly numeric = new Map<string, Column>();
  private readonly categorical = new Map<string, Map<string, number>>();

  add(features: Record<string, FeatureValue>): void {
    for (const name in features) {
      const value = features[name];
      if (typeof value === 'number') {
        let column = this.numeric.get(name);
        if (!column) this.numeric.set(name, (column = new Column()));
        column.append(value === 0 ? 0 : value); // -0 as 0, as a checkpoint (JSON) would restore it
      } else if (typeof value === 'string' || typeof value === 'boolean') {
        const category = String(value);
        let counts = this.categorical.get(name);
        if (!counts) this.categorical.set(name, (counts = new Map<string, number>()));
        counts.set(category, (counts.get(category) ?? 0) + 1);
      }
    }
  }

  /** Takes back a row given to `add` before. */
  remove(features: Record<string, FeatureValue>): void {
    for (const name in features) {
      const value = features[name];
      if (typeof value === 'number') {
        this.numeric.get(name)?.remove(value === 0 ? 0 : value);
      } else if (typeof value === 'string' || typeof value === 'boolean') {
        const category = String(value);
        const counts = this.categorical.get(name);
        const count = counts?.get(category);
        if (!counts || count === undefined) continue;
        if (count > 1) counts.set(category, count - 1);
        else counts.delete(category);
      }
    }
  }

  /**
   * The rows' histograms: numeric features in `bins` quantile bins (`quantileEdges`, then the
   * counts as `binIndex` draws them), every category counted; features in name order, so the
   * result does not depend on the order the rows arrived in (or were restored in).
   */
  histograms(bins: number): Record<string, FeatureHistogram> {
    const features: Record<string, FeatureHistogram> = {};
    for (const name of [...this.numeric.keys()].sort()) {
      const sorted = this.numeric.get(name)!.sorted();
      if (sorted.length === 0) continue;
      const edges = quantileEdges(sorted, bins);
      if (edges.length === 0) continue;
      features[name] = { type: 'numeric', edges, counts: sweepCounts(sorted, edges) };
    }
    for (const name of [...this.categorical.keys()].sort()) {
      const counts = this.categorical.get(name)!;
      if (counts.size === 0) continue;
      features[name] = { type: 'categorical', counts: Object.fromEntries(counts) };
    }
    return features;
  }
}

/** Values appended unsorted and sorted in runs of RUN (see Column). */
const RUN = 64;

/**
 * One numeric feature's values: a sorted prefix and an unsorted run of fewer than RUN values
 * after it. A full run is sorted natively and merged into the prefix, so N appends cost about
 * N²/(2·RUN) moves instead of N²/4 for an insert in place; removals and `sorted` merge first.
 */
class Column {
  private values = new Float64Array(RUN);
  private n = 0;
  private sortedN = 0;

  append(v: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = v;
    if (this.n - this.sortedN >= RUN) this.merge();
  }

  /** Takes out one value equal to `v`, if there is one. */
  remove(v: number): void {
    this.merge();
    const at = lowerBound(this.values, this.n, v);
    if (at === this.n || this.values[at] !== v) return;
    this.values.copyWithin(at, at + 1, this.n);
    this.n--;
    this.sortedN--;
  }

  /** The values in ascending order (a view, valid until the next change). */
  sorted(): Float64Array {
    this.merge();
    return this.values.subarray(0, this.n);
  }

  /** Sorts the run and merges it into the prefix, from the back, with the run copied aside. */
  private merge(): void {
    const { values, sortedN, n } = this;
    if (sortedN === n) return;
    const run = values.slice(sortedN, n).sort();
    let i = sortedN - 1;
    let j = run.length - 1;
    for (let k = n - 1; j >= 0; k--)
      values[k] = i >= 0 && values[i] > run[j] ? values[i--] : run[j--];
    this.sortedN = n;
  }
}

/** The first index in values[0..n) whose value is not below `v`. */
function lowerBound(values: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
