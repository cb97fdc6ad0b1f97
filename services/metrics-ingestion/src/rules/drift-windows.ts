import type { FeatureHistogram, FeatureValue } from '@fulcrum/contracts';
import { binIndex } from './drift-math';
import type { Reference } from './drift-reference';

/** One event-time window: per feature, counts over that feature's reference bins. */
export type WindowCounts = Map<string, number[]>;

function vectorFor(counts: WindowCounts, name: string, bins: number): number[] {
  let vector = counts.get(name);
  if (!vector) {
    vector = new Array<number>(bins).fill(0);
    counts.set(name, vector);
  }
  return vector;
}

/** Counts one prediction's feature values into the window; features without a reference are skipped. */
export function countPrediction(
  counts: WindowCounts,
  reference: Reference,
  features: Record<string, FeatureValue>,
): void {
  for (const name in features) {
    const value = features[name];
    const ref = reference.get(name);
    if (!ref || value === null) continue;
    const vector = vectorFor(counts, name, ref.counts.length);
    if (ref.type === 'numeric') {
      if (typeof value === 'number') vector[binIndex(ref.edges, value)]++;
    } else {
      const i = ref.categories.indexOf(String(value));
      vector[i >= 0 ? i : ref.categories.length]++;
    }
  }
}

/** Adds a `window` record's histograms; numeric bins with other edges are re-binned by midpoint. */
export function countHistograms(
  counts: WindowCounts,
  reference: Reference,
  features: Record<string, FeatureHistogram>,
): void {
  for (const [name, h] of Object.entries(features)) {
    const ref = reference.get(name);
    if (!ref || ref.type !== h.type) continue;
    const vector = vectorFor(counts, name, ref.counts.length);
    if (h.type === 'numeric' && ref.type === 'numeric') {
      if (sameEdges(h.edges, ref.edges)) {
        h.counts.forEach((c, i) => (vector[i] += c));
      } else {
        // Different bins: each incoming bin goes where its midpoint falls; the open ends go to
        // the bins holding their single finite edge.
        const last = h.edges.length;
        h.counts.forEach((c, i) => {
          const at =
            i === 0
              ? h.edges[0]
              : i === last
                ? h.edges[last - 1]
                : (h.edges[i - 1] + h.edges[i]) / 2;
          const bin = binIndex(ref.edges, at);
          vector[i === last && at === ref.edges[bin] ? bin + 1 : bin] += c;
        });
      }
    } else if (h.type === 'categorical' && ref.type === 'categorical') {
      for (const [value, c] of Object.entries(h.counts)) {
        const i = ref.categories.indexOf(value);
        vector[i >= 0 ? i : ref.categories.length] += c;
      }
    }
  }
}

function sameEdges(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
