import type { FeatureHistogram, FeatureValue } from '@fulcrum/contracts';
import { quantileEdges } from './drift-math';
import type { ReferenceRow } from './reference-rows.codec';

/** Reference bins of one feature. Categorical keeps a trailing "other" slot for unseen values. */
export type FeatureReference =
  | { type: 'numeric'; edges: number[]; counts: number[] }
  | { type: 'categorical'; categories: string[]; counts: number[] };

export type Reference = Map<string, FeatureReference>;

const MAX_CATEGORIES = 32;

/** A reference from histograms: numeric bins as given, the 32 most frequent categories + "other". */
export function referenceFromHistograms(features: Record<string, FeatureHistogram>): Reference {
  const reference: Reference = new Map();
  for (const [name, h] of Object.entries(features)) {
    if (h.type === 'numeric') {
      reference.set(name, { type: 'numeric', edges: [...h.edges], counts: [...h.counts] });
    } else {
      const top = Object.entries(h.counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const kept = top.slice(0, MAX_CATEGORIES);
      const other = top.slice(MAX_CATEGORIES).reduce((sum, [, c]) => sum + c, 0);
      reference.set(name, {
        type: 'categorical',
        categories: kept.map(([v]) => v),
        counts: [...kept.map(([, c]) => c), other],
      });
    }
  }
  return reference;
}

/** Event-time order, ties broken by content: which rows are "the first N" never depends on arrival. */
function compareRows(a: ReferenceRow, b: ReferenceRow): number {
  if (a.t !== b.t) return a.t - b.t;
  a.key ??= JSON.stringify(a.features);
  b.key ??= JSON.stringify(b.features);
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Keeps `rows` the n earliest in order; a row later than all n kept can never be among them. */
export function keepEarliest(rows: ReferenceRow[], row: ReferenceRow, n: number): void {
  if (rows.length >= n && compareRows(row, rows[rows.length - 1]) >= 0) return;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRows(rows[mid], row) <= 0) lo = mid + 1;
    else hi = mid;
  }
  rows.splice(lo, 0, row);
  if (rows.length > n) rows.length = n;
}

/** The first n rows are final once the n-th lies before the boundary: no record can still be earlier. */
export function firstRowsFinal(rows: ReferenceRow[], n: number, boundary: number): boolean {
  return rows.length >= n && rows[n - 1].t < boundary;
}

/** Histograms of the rows: numeric features in `bins` quantile bins, every category counted. */
export function histogramsOfRows(
  rows: readonly { features: Record<string, FeatureValue> }[],
  bins: number,
): Record<string, FeatureHistogram> {
  // Numbers go straight into one typed array per feature, sorted in place: this runs for every
  // model of a rollout at the same boundary (200 at once in the latency benchmark, #16).
  const numeric = new Map<string, { values: Float64Array; n: number }>();
  const categorical = new Map<string, Map<string, number>>();
  for (const { features } of rows) {
    for (const name in features) {
      const value = features[name];
      if (typeof value === 'number') {
        let column = numeric.get(name);
        if (!column) numeric.set(name, (column = { values: new Float64Array(rows.length), n: 0 }));
        column.values[column.n++] = value;
      } else if (typeof value === 'string') {
        // Every value is counted; referenceFromHistograms keeps the most frequent and lumps the
        // rest into "other", exactly as the current window's unseen values are.
        let counts = categorical.get(name);
        if (!counts) categorical.set(name, (counts = new Map<string, number>()));
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
  }
  const features: Record<string, FeatureHistogram> = {};
  for (const [name, { values, n }] of numeric) {
    const sorted = values.subarray(0, n).sort();
    const edges = quantileEdges(sorted, bins);
    if (edges.length === 0) continue;
    const counts = new Array<number>(edges.length + 1).fill(0);
    // One sweep over the sorted values, bins as binIndex draws them: bin i holds (edges[i−1], edges[i]].
    let bin = 0;
    for (let i = 0; i < n; i++) {
      while (bin < edges.length && sorted[i] > edges[bin]) bin++;
      counts[bin]++;
    }
    features[name] = { type: 'numeric', edges, counts };
  }
  for (const [name, counts] of categorical) {
    features[name] = { type: 'categorical', counts: Object.fromEntries(counts) };
  }
  return features;
}
