import type { FeatureHistogram, FeatureValue } from '@fulcrum/contracts';
import { binIndex, jensenShannonDistance, psi, quantileEdges } from './drift-math';
import type { RuleSettings } from '../settings/rule-settings';
import {
  decodeRows,
  encodeRows,
  type EncodedRows,
  type ReferenceRow,
} from './reference-rows.codec';
import { isoWindow, UNKNOWN, type Verdict } from './verdict';

type DriftSettings = RuleSettings['drift'];

/** Reference bins of one feature. Categorical keeps a trailing "other" slot for unseen values. */
export type FeatureReference =
  | { type: 'numeric'; edges: number[]; counts: number[] }
  | { type: 'categorical'; categories: string[]; counts: number[] };

const MAX_CATEGORIES = 32;

/** Event-time order, ties broken by content: which rows are "the first N" never depends on arrival. */
function compareRows(a: ReferenceRow, b: ReferenceRow): number {
  if (a.t !== b.t) return a.t - b.t;
  a.key ??= JSON.stringify(a.features);
  b.key ??= JSON.stringify(b.features);
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Feature drift for one model: reference bins for the current model version (from a `baseline`
 * record, or built from the version's first N predictions), and count vectors over the same bins for
 * at most two open event-time windows. Memory per feature is O(bins); the only raw values ever held
 * are the first N of a version while its reference is being built.
 *
 * "First N" is in event time: the builder keeps the N earliest predictions (ties ordered by content)
 * and the reference is fixed at the first evaluation boundary the N-th of them lies before — no
 * record that could still arrive can be earlier. Counting for drift starts at the first drift
 * window that begins after that boundary plus the allowed lateness, so no prediction the builder
 * saw or turned away is ever counted against the reference: what a record contributes depends on
 * its event time, never on its arrival order.
 */
export class FeatureDrift {
  version: string | null = null;
  source: 'baseline' | 'first-predictions' | null = null;
  reference = new Map<string, FeatureReference>();
  /** Window index → feature → counts over the reference bins. */
  windows = new Map<number, Map<string, number[]>>();
  closedThrough = -Infinity;
  /** Event time from which predictions count in drift windows (set when a first-N reference is fixed). */
  countFrom = -Infinity;
  lastScores: Record<string, number> = {};
  private builder: { version: string; rows: ReferenceRow[] } | null = null;

  /** A baseline for the version being served (or the first one seen) replaces the reference. */
  applyBaseline(version: string, features: Record<string, FeatureHistogram>): void {
    this.version = version;
    this.source = 'baseline';
    this.builder = null;
    this.countFrom = -Infinity;
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
      this.addToBuilder(t, features, s);
      return 'reference';
    }
    if (t < this.countFrom) return 'ignored';
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
    if (this.builder || this.reference.size === 0 || t < this.countFrom) return 'ignored';
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

  /**
   * At evaluation boundary `clock`: fixes a first-N reference whose N-th prediction lies before it,
   * then closes every window that ends at or before `clock` and judges it.
   */
  close(clock: number, s: DriftSettings, allowedLatenessMs = 0): Verdict[] {
    const verdicts: Verdict[] = [];
    this.finishReference(clock, s, allowedLatenessMs);
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
    this.countFrom = -Infinity;
    this.builder = { version, rows: [] };
  }

  /** Keeps the N earliest rows in order; a row later than all N kept can never be among them. */
  private addToBuilder(t: number, features: Record<string, FeatureValue>, s: DriftSettings): void {
    const rows = this.builder!.rows;
    const row: ReferenceRow = { t, features };
    const n = s.referenceSize;
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

  private finishReference(boundary: number, s: DriftSettings, allowedLatenessMs: number): void {
    const b = this.builder;
    if (!b || b.rows.length < s.referenceSize || b.rows[s.referenceSize - 1].t >= boundary) return;
    const numeric = new Map<string, number[]>();
    const categorical = new Map<string, Map<string, number>>();
    for (const { features } of b.rows) {
      for (const name in features) {
        const value = features[name];
        if (typeof value === 'number') {
          let values = numeric.get(name);
          if (!values) numeric.set(name, (values = []));
          values.push(value);
        } else if (typeof value === 'string') {
          // Every value is counted; applyBaseline keeps the most frequent and lumps the rest into
          // "other", exactly as the current window's unseen values are.
          let counts = categorical.get(name);
          if (!counts) categorical.set(name, (counts = new Map<string, number>()));
          counts.set(value, (counts.get(value) ?? 0) + 1);
        }
      }
    }
    const features: Record<string, FeatureHistogram> = {};
    for (const [name, values] of numeric) {
      const sorted = Float64Array.from(values).sort();
      const edges = quantileEdges(sorted, s.bins);
      if (edges.length === 0) continue;
      const counts = new Array<number>(edges.length + 1).fill(0);
      for (const v of sorted) counts[binIndex(edges, v)]++;
      features[name] = { type: 'numeric', edges, counts };
    }
    for (const [name, counts] of categorical) {
      features[name] = { type: 'categorical', counts: Object.fromEntries(counts) };
    }
    this.applyBaseline(b.version, features);
    this.source = 'first-predictions';
    this.countFrom = Math.ceil((boundary + allowedLatenessMs) / s.windowMs) * s.windowMs;
  }

  /** Where the reference comes from, for the model status's coverage facts. */
  get referenceSource(): 'baseline' | 'first-predictions' | 'building' | 'none' {
    if (this.builder) return 'building';
    return this.source ?? 'none';
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
    if (this.builder)
      for (const row of this.builder.rows) bytes += 64 + 24 * Object.keys(row.features).length;
    return bytes;
  }

  toJSON() {
    return {
      version: this.version,
      source: this.source,
      reference: [...this.reference.entries()],
      windows: [...this.windows.entries()].map(([w, m]) => [w, [...m.entries()]] as const),
      closedThrough: Number.isFinite(this.closedThrough) ? this.closedThrough : null,
      countFrom: Number.isFinite(this.countFrom) ? this.countFrom : null,
      lastScores: this.lastScores,
      builder: this.builder
        ? { version: this.builder.version, rows: encodeRows(this.builder.rows) }
        : null,
    };
  }

  static fromJSON(json: FeatureDriftJSON): FeatureDrift {
    const d = new FeatureDrift();
    d.version = json.version;
    d.source = json.source;
    d.reference = new Map(json.reference);
    d.windows = new Map(json.windows.map(([w, entries]) => [w, new Map(entries)]));
    d.closedThrough = json.closedThrough ?? -Infinity;
    d.countFrom = json.countFrom ?? -Infinity;
    d.lastScores = json.lastScores;
    if (json.builder) {
      const rows = json.builder.rows as unknown;
      d.builder = {
        version: json.builder.version,
        rows: isEncoded(rows)
          ? decodeRows(rows)
          : // Checkpoints written before the columns encoding held [t, features] pairs; older ones
            // held raw values without event times, and restart the build.
            Array.isArray(rows)
            ? (rows as [number, Record<string, FeatureValue>][]).map(([t, features]) => ({
                t,
                features,
              }))
            : [],
      };
    }
    return d;
  }
}

type FeatureDriftJSON = ReturnType<FeatureDrift['toJSON']>;

function isEncoded(rows: unknown): rows is EncodedRows {
  return (
    typeof rows === 'object' && rows !== null && (rows as EncodedRows).encoding === 'columns/v1'
  );
}

function sameEdges(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
