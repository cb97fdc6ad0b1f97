import type { FeatureValue } from '@fulcrum/contracts';
import { binIndex, quantileEdges } from './drift-math';
import { keepEarliest } from './drift-reference';
import type { ReferenceRow } from './reference-rows.codec';
import { ReferenceSample } from './reference-sample';

/** Binning straight from the rows, the plain way: gather, sort, cut at quantiles, binary-search. */
function histogramsOfRows(rows: readonly ReferenceRow[], bins: number) {
  const numeric = new Map<string, number[]>();
  const categorical = new Map<string, Record<string, number>>();
  for (const { features } of rows)
    for (const [name, value] of Object.entries(features)) {
      if (typeof value === 'number') numeric.set(name, [...(numeric.get(name) ?? []), value]);
      else if (typeof value === 'string') {
        const counts = categorical.get(name) ?? {};
        counts[value] = (counts[value] ?? 0) + 1;
        categorical.set(name, counts);
      }
    }
  const out: Record<string, unknown> = {};
  for (const [name, values] of numeric) {
    const sorted = values.map((v) => (v === 0 ? 0 : v)).sort((a, b) => a - b);
    const edges = quantileEdges(sorted, bins);
    if (edges.length === 0) continue;
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const v of sorted) counts[binIndex(edges, v)]++;
    out[name] = { type: 'numeric', edges, counts };
  }
  for (const [name, counts] of categorical) out[name] = { type: 'categorical', counts };
  return out;
}

function rng(seed: number) {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('ReferenceSample', () => {
  it('bins exactly as the rows it holds would be binned, after shuffled arrivals push rows out', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = rng(seed);
      const rows: ReferenceRow[] = [];
      const sample = new ReferenceSample();
      for (let i = 0; i < 600; i++) {
        const features: Record<string, FeatureValue> = {
          // Heavy ties and signed zeros (Math.round of a small negative number is -0).
          amount: Math.round((r() - 0.5) * 6) / 3,
          score: r() < 0.1 ? null : r(),
          country: ['de', 'fr', 'us', 'br'][Math.floor(r() * 4)],
        };
        if (r() < 0.3) delete features.score;
        // Arrival shuffled around event time, so earlier rows keep pushing later ones out.
        const row = { t: Math.floor(i * 10 + (r() - 0.5) * 400), features };
        const left = keepEarliest(rows, row, 200);
        if (left !== row) sample.add(features);
        if (left && left !== row) sample.remove(left.features);
      }
      expect(rows).toHaveLength(200);
      expect(sample.histograms(10)).toEqual(histogramsOfRows(rows, 10));
    }
  });

  it('bins exactly as its rows would be binned when they arrive in order and none leaves', () => {
    // No removals: values only append, so runs are sorted and merged, the last one partial.
    for (const count of [1, 63, 64, 65, 999, 1000]) {
      const r = rng(count);
      const rows: ReferenceRow[] = [];
      const sample = new ReferenceSample();
      for (let i = 0; i < count; i++) {
        const features = { amount: Math.round((r() - 0.5) * 6) / 3, score: r(), lag: -i };
        rows.push({ t: i, features });
        sample.add(features);
      }
      expect(sample.histograms(10)).toEqual(histogramsOfRows(rows, 10));
    }
  });

  it('lists features in name order whatever order they arrived in', () => {
    const sample = new ReferenceSample();
    sample.add({ zeta: 1, alpha: 'x', mid: 2 });
    sample.add({ zeta: 3, alpha: 'y', mid: 4 });
    expect(Object.keys(sample.histograms(2))).toEqual(['mid', 'zeta', 'alpha']);
  });
});
