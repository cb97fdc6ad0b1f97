import type { FeatureHistogram } from '@fulcrum/contracts';
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

/**
 * Keeps `rows` the n earliest in order; a row later than all n kept can never be among them.
 * Returns the row left out — `row` itself, or the one it pushed out — or null.
 */
export function keepEarliest(
  rows: ReferenceRow[],
  row: ReferenceRow,
  n: number,
): ReferenceRow | null {
  const last = rows.length > 0 ? rows[rows.length - 1] : null;
  if (!last || compareRows(row, last) >= 0) {
    // In order (the common case): no search, no splice.
    if (rows.length >= n) return row;
    rows.push(row);
    return null;
  }
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRows(rows[mid], row) <= 0) lo = mid + 1;
    else hi = mid;
  }
  rows.splice(lo, 0, row);
  return rows.length > n ? rows.pop()! : null;
}

/** The first n rows are final once the n-th lies before the boundary: no record can still be earlier. */
export function firstRowsFinal(rows: ReferenceRow[], n: number, boundary: number): boolean {
  return rows.length >= n && rows[n - 1].t < boundary;
}

/** The n earliest of `rows` in order: what `keepEarliest` keeps when offered them in any order. */
export function earliestRows(rows: readonly ReferenceRow[], n: number): ReferenceRow[] {
  return [...rows].sort(compareRows).slice(0, n);
}
