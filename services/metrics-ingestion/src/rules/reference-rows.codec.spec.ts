import type { FeatureValue } from '@fulcrum/contracts';
import { decodeRows, encodeRows, type ReferenceRow } from './reference-rows.codec';

/** A small deterministic generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function rowsFor(seed: number, count: number): ReferenceRow[] {
  const next = random(seed);
  const names = ['amount', 'age', 'country', 'device', 'score', 'note'];
  return Array.from({ length: count }, () => {
    const features: Record<string, FeatureValue> = {};
    // Any subset, in any order, of numbers, strings and nulls (a feature may change type).
    const order = [...names].sort(() => next() - 0.5);
    for (const name of order) {
      const pick = next();
      if (pick < 0.15) continue;
      features[name] =
        pick < 0.6
          ? (next() - 0.5) * 10 ** Math.floor(next() * 12)
          : pick < 0.9
            ? `v${Math.floor(next() * 40)}`
            : null;
    }
    return { t: 1_767_225_600_000 + Math.floor(next() * 50) * 1000, features };
  });
}

describe('reference rows codec: given rows being built into a reference', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'when encoded, checkpointed as JSON and decoded (seed %i), then every row, value and key order is back',
    (seed) => {
      const rows = rowsFor(seed, 300);
      const decoded = decodeRows(JSON.parse(JSON.stringify(encodeRows(rows))));
      expect(decoded).toEqual(rows);
      // Key order too: rows with equal event times are ordered by their JSON text.
      expect(decoded.map((r) => JSON.stringify(r.features))).toEqual(
        rows.map((r) => JSON.stringify(r.features)),
      );
    },
  );

  it('when there are no rows, then none come back', () => {
    expect(decodeRows(JSON.parse(JSON.stringify(encodeRows([]))))).toEqual([]);
  });

  it('when the features are numeric, then the checkpoint is well under the size of [t, features] pairs', () => {
    const next = random(42);
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      t: 1_767_225_600_000 + i * 10,
      features: Object.fromEntries(
        Array.from({ length: 10 }, (_, f) => [`feature_${f}`, next() * 100]),
      ),
    }));
    const encoded = JSON.stringify(encodeRows(rows)).length;
    const pairs = JSON.stringify(rows.map((r) => [r.t, r.features])).length;
    expect(encoded / pairs).toBeLessThan(0.5);
  });
});
