import type { FeatureHistogram, FeatureValue } from '@fulcrum/contracts';
import { binIndex, jensenShannonDistance, psi, quantileEdges } from './drift-math';
import type { RuleSettings } from './rule-settings';
import { isoWindow, UNKNOWN, type Verdict } from './verdict';

type DriftSettings = RuleSettings['drift'];

/** Reference bins of one feature. Categorical keeps a trailing "other" slot for unseen values. */
export type FeatureReference =
  | { type: 'numeric'; edges: number[]; counts: number[] }
  | { type: 'categorical'; categories: string[]; counts: number[] };

const MAX_CATEGORIES = 32;

/**
 * Feature drift for one model: reference bins for the current model version (from a `baseline`
 * record, or built from the version's first N predictions), and count vectors over the same bins for
 * at most two open event-time windows. Memory per feature is O(bins); the only raw values ever held
 * are the first N of a version while its reference is being built.
 */
export class FeatureDrift {
  version: string | null = null;
  source: 'baseline' | 'first-predictions' | null = null;
  reference = new Map<string, FeatureReference>();
  /** Window index → feature → counts over the reference bins. */
  windows = new Map<number, Map<string, number[]>>();
  closedThrough = -Infinity;
  lastScores: Record<string, number> = {};
  private builder: {
    version: string;
    seen: number;
    numeric: Map<string, number[]>;
    categorical: Map<string, Map<string, number>>;
  } | null = null;

  /** A baseline for the version being served (or the first one seen) replaces the reference. */
  applyBaseline(version: string, features: Record<string, FeatureHistogram>): void {
    this.version = version;
    this.source = 'baseline';
    this.builder = null;
    this.reference = new Map();
    for (const [name, h] of Object.entries(features)) {
      if (h.type === 'numeric') {
        this.reference.set(name, { type: 'numeric', edges: [...h.edges], counts: [...h.counts] });
      } else {
        const top = Object.entries(h.counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        const kept = top.slice(0, MAX_CATEGORIES);
        const other = top.slice(MAX_CATEGORIES).reduce((sum, [, c]) => sum + c, 0);
        this.reference.set(name, {
          type: 'categorical',
          categories: kept.map(([v]) => v),
          counts: [...kept.map(([, c]) => c), other],
        });
      }
    }
    this.windows.clear();
  }

  /** Counts one prediction's features in its event-time window, or into the reference builder. */
  observe(
    version: string,
    t: number,
    features: Record<string, FeatureValue> | undefined,
    s: DriftSettings,
  ): 'counted' | 'late' | 'reference' | 'ignored' {
    if (!features) return 'ignored';
    if (this.version !== version) {
      // A platform-supplied baseline names the version it describes; other versions' traffic (a
      // rollout's overlap) is not compared against it. Without a baseline, a new version rebuilds.
      if (this.source === 'baseline') return 'ignored';
      this.startBuilding(version);
    }
    if (this.builder) {
      this.addToBuilder(features, s);
      return 'reference';
    }
    const w = Math.floor(t / s.windowMs);
    if (w < this.closedThrough) return 'late';
    let counts = this.windows.get(w);
    if (!counts) {
      counts = new Map();
      this.windows.set(w, counts);
    }
    for (const name in features) {
      const value = features[name];
      const ref = this.reference.get(name);
      if (!ref || value === null) continue;
      let vector = counts.get(name);
      if (!vector) {
        vector = new Array<number>(ref.counts.length).fill(0);
        counts.set(name, vector);
      }
      if (ref.type === 'numeric') {
        if (typeof value === 'number') vector[binIndex(ref.edges, value)]++;
      } else {
        const i = ref.categories.indexOf(String(value));
        vector[i >= 0 ? i : ref.categories.length]++;
      }
    }
    return 'counted';
  }

  /** Pre-aggregated histograms from a `window` record; numeric bins are re-binned by midpoint. */
  observeHistograms(
    t: number,
    features: Record<string, FeatureHistogram>,
    s: DriftSettings,
  ): 'counted' | 'late' | 'ignored' {
    if (this.builder || this.reference.size === 0) return 'ignored';
    const w = Math.floor(t / s.windowMs);
    if (w < this.closedThrough) return 'late';
    let counts = this.windows.get(w);
    if (!counts) {
      counts = new Map();
      this.windows.set(w, counts);
    }
    for (const [name, h] of Object.entries(features)) {
      const ref = this.reference.get(name);
      if (!ref || ref.type !== h.type) continue;
      let vector = counts.get(name);
      if (!vector) {
        vector = new Array<number>(ref.counts.length).fill(0);
        counts.set(name, vector);
      }
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
    return 'counted';
  }

  /** Closes every window that ends at or before `clock` and judges it. */
  close(clock: number, s: DriftSettings): Verdict[] {
    const verdicts: Verdict[] = [];
    const ready = [...this.windows.keys()]
      .filter((w) => (w + 1) * s.windowMs <= clock)
      .sort((a, b) => a - b);
    // Never more than two windows open: a third forces the oldest closed.
    const keys = [...this.windows.keys()].sort((a, b) => a - b);
    while (keys.length - ready.length > 2) ready.push(keys[ready.length]);
    for (const w of ready) {
      verdicts.push(this.judge(w, this.windows.get(w)!, s));
      this.windows.delete(w);
      this.closedThrough = Math.max(this.closedThrough, w + 1);
    }
    return verdicts;
  }

  private judge(w: number, counts: Map<string, number[]>, s: DriftSettings): Verdict {
    const scores: Record<
      string,
      { metric: 'psi' | 'jensen_shannon'; score: number; drifting: boolean; observations: number }
    > = {};
    let judged = 0;
    let drifting = 0;
    let maxScore = 0;
    let critical = false;
    for (const [name, vector] of counts) {
      const ref = this.reference.get(name)!;
      const observations = vector.reduce((a, b) => a + b, 0);
      if (observations < s.minObservations) continue;
      judged++;
      const numeric = ref.type === 'numeric';
      const score = numeric ? psi(ref.counts, vector) : jensenShannonDistance(ref.counts, vector);
      const isDrifting = score >= (numeric ? s.psiWarning : s.jsWarning);
      if (isDrifting) drifting++;
      if (numeric && score >= s.psiCritical) critical = true;
      maxScore = Math.max(maxScore, score);
      scores[name] = {
        metric: numeric ? 'psi' : 'jensen_shannon',
        score: Math.round(score * 1e4) / 1e4,
        drifting: isDrifting,
        observations,
      };
    }
    if (judged === 0) return UNKNOWN;
    this.lastScores = Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, v.score]));
    const share = drifting / judged;
    const window = isoWindow(w * s.windowMs, (w + 1) * s.windowMs);
    const evidence = {
      driftShare: Math.round(share * 1e4) / 1e4,
      modelDrift: share >= s.modelDriftShare,
      referenceSource: this.source,
      features: scores,
    };
    const observed = Math.round(maxScore * 1e4) / 1e4;
    if (drifting === 0)
      return { status: 'clear', observed, threshold: s.psiWarning, window, evidence };
    return {
      status: 'breach',
      severity: critical || share >= s.modelDriftShare ? 'critical' : 'warning',
      observed,
      threshold: s.psiWarning,
      window,
      evidence,
    };
  }

  private startBuilding(version: string): void {
    this.version = version;
    this.source = 'first-predictions';
    this.reference = new Map();
    this.windows.clear();
    this.builder = { version, seen: 0, numeric: new Map(), categorical: new Map() };
  }

  private addToBuilder(features: Record<string, FeatureValue>, s: DriftSettings): void {
    const b = this.builder!;
    b.seen++;
    for (const name in features) {
      const value = features[name];
      if (typeof value === 'number') {
        let values = b.numeric.get(name);
        if (!values) b.numeric.set(name, (values = []));
        values.push(value);
      } else if (typeof value === 'string') {
        let counts = b.categorical.get(name);
        if (!counts) b.categorical.set(name, (counts = new Map<string, number>()));
        if (counts.has(value) || counts.size < MAX_CATEGORIES * 4)
          counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
    if (b.seen < s.referenceSize) return;
    const features2: Record<string, FeatureHistogram> = {};
    for (const [name, values] of b.numeric) {
      const sorted = Float64Array.from(values).sort();
      const edges = quantileEdges(sorted, s.bins);
      if (edges.length === 0) continue;
      const counts = new Array<number>(edges.length + 1).fill(0);
      for (const v of sorted) counts[binIndex(edges, v)]++;
      features2[name] = { type: 'numeric', edges, counts };
    }
    for (const [name, counts] of b.categorical) {
      features2[name] = { type: 'categorical', counts: Object.fromEntries(counts) };
    }
    const version = b.version;
    this.applyBaseline(version, features2);
    this.source = 'first-predictions';
  }

  get byteLength(): number {
    let bytes = 64;
    for (const ref of this.reference.values()) {
      bytes +=
        48 +
        ref.counts.length * 8 +
        (ref.type === 'numeric'
          ? ref.edges.length * 8
          : ref.categories.reduce((a, c) => a + 16 + c.length * 2, 0));
    }
    for (const counts of this.windows.values())
      for (const v of counts.values()) bytes += 32 + v.length * 8;
    if (this.builder) for (const v of this.builder.numeric.values()) bytes += v.length * 8;
    return bytes;
  }

  toJSON() {
    return {
      version: this.version,
      source: this.source,
      reference: [...this.reference.entries()],
      windows: [...this.windows.entries()].map(([w, m]) => [w, [...m.entries()]] as const),
      closedThrough: Number.isFinite(this.closedThrough) ? this.closedThrough : null,
      lastScores: this.lastScores,
      builder: this.builder
        ? {
            version: this.builder.version,
            seen: this.builder.seen,
            numeric: [...this.builder.numeric.entries()],
            categorical: [...this.builder.categorical.entries()].map(
              ([k, m]) => [k, [...m.entries()]] as const,
            ),
          }
        : null,
    };
  }

  static fromJSON(json: ReturnType<FeatureDrift['toJSON']>): FeatureDrift {
    const d = new FeatureDrift();
    d.version = json.version;
    d.source = json.source;
    d.reference = new Map(json.reference);
    d.windows = new Map(json.windows.map(([w, entries]) => [w, new Map(entries)]));
    d.closedThrough = json.closedThrough ?? -Infinity;
    d.lastScores = json.lastScores;
    if (json.builder) {
      d.builder = {
        version: json.builder.version,
        seen: json.builder.seen,
        numeric: new Map(json.builder.numeric),
        categorical: new Map(
          json.builder.categorical.map(([k, e]) => [k, new Map<string, number>(e)]),
        ),
      };
    }
    return d;
  }
}

function sameEdges(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
