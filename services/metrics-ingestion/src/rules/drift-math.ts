/**
 * Drift statistics over binned counts. All O(bins): the reference and the current window are count
 * vectors over the same bins, never raw samples.
 */
const FLOOR = 1e-4;

function proportions(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const out = new Array<number>(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = total > 0 ? counts[i] / total : 0;
  return out;
}

/**
 * Population Stability Index: Σ (ref% − cur%) · ln(ref% / cur%). Only an empty bin is replaced, by
 * a fixed 1e-4, so the logarithm stays finite; a bin with any observations keeps its true share,
 * however small — flooring those too understates PSI exactly where it matters. (Evidently floors
 * at the smallest non-empty share ÷ 1e6 when that share is ≤ 1e-4, so a single rare request can
 * swing its PSI; a fixed floor keeps the alarm stable.)
 */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const r = proportions(reference);
  const c = proportions(current);
  let sum = 0;
  for (let i = 0; i < r.length; i++) {
    const ri = r[i] > 0 ? r[i] : FLOOR;
    const ci = c[i] > 0 ? c[i] : FLOOR;
    sum += (ri - ci) * Math.log(ri / ci);
  }
  return sum;
}

/**
 * Jensen–Shannon distance (the square root of the divergence), natural log as in scipy's
 * `jensenshannon` that Evidently uses, so its 0.1 threshold means the same here.
 */
export function jensenShannonDistance(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): number {
  const p = proportions(reference);
  const q = proportions(current);
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) divergence += 0.5 * p[i] * Math.log(p[i] / m);
    if (q[i] > 0) divergence += 0.5 * q[i] * Math.log(q[i] / m);
  }
  return Math.sqrt(Math.max(divergence, 0));
}

// How bins are cut and drawn is part of the telemetry contract (a producer's baseline must be binned
// the same way): defined once in the contracts library.
export { binIndex, quantileEdges } from '@fulcrum/contracts';
