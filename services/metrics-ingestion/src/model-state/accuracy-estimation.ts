import type { Calibration, ScoreHistogram } from '@fulcrum/contracts';
import { calibrate, ERROR_SPAN_HOURS, type EstimateWindow } from '../rules/accuracy-estimate';
import { SumRing, type LegacyRingJSON, type SumRingJSON } from '../rules/sum-ring';
import { FINE_BUCKET_MS, TRAFFIC_BUCKETS } from '../settings/rule-settings';

const HOUR = 3_600_000;
/**
 * A step's calibrated probability of the positive class is held in 1/65535ths (two bytes), and the
 * expected right predictions are summed in those units, as integers: float sums would depend on the
 * order records arrive in, and replays and shuffled arrival must give identical estimates. The
 * rounding (≤ 7.7e-6 per prediction) is two orders of magnitude below the 0.001 the estimate is
 * checked to against NannyML.
 */
export const PROBABILITY_UNIT = 0xffff;
const HOURLY_BUCKETS = ERROR_SPAN_HOURS + 2;

/**
 * What a model needs to estimate its accuracy from scores: the calibration from its reference, as
 * steps (pool-adjacent-violators leaves a step function; adjacent bins of one step are stored once),
 * and the expected right predictions and scored predictions per 5-minute bucket for the last hour
 * (the rule's window) and per hour for the last day (to compare with labels when they come).
 * No rows, and nothing at all until a calibration arrives: a model without one holds this object's
 * fields only. With one: 616 bytes of rings plus 6 bytes a step.
 */
export class AccuracyEstimation {
  /** The model version the calibration was measured on: other versions' scores are not estimated. */
  version = '';
  /**
   * Upper score bound (inclusive) of each calibration step, ascending, as 32-bit floats; the last is
   * 1. Scores are compared after rounding to 32 bits, so a histogram read at a bin's upper edge
   * finds that bin's step; a score within 6e-8 above an edge may count in the step below it.
   */
  private upTo: Float32Array | null = null;
  /** Calibrated probability of the positive class in each step, in PROBABILITY_UNITs. */
  private positive: Uint16Array | null = null;
  /** Share of the reference's predictions that were right: it sets the sampling error. */
  referenceAccuracy = Number.NaN;
  /** Expected right (in PROBABILITY_UNITs) and scored predictions per 5-minute bucket. */
  private recent: SumRing | null = null;
  /** Expected right (in predictions) and scored predictions per hour of the last day. */
  private hourly: SumRing | null = null;
  /** Bytes of the one buffer all of the above live in. */
  private held = 0;
  /** Set when labels refuted an estimated incident; cleared once the estimate is back above the line. */
  refuted = false;

  get calibrated(): boolean {
    return this.upTo !== null;
  }

  get steps(): number {
    return this.upTo?.length ?? 0;
  }

  /**
   * Lays the rings, the step bounds and the step probabilities out in one buffer: a typed array
   * with a buffer of its own costs ~190 bytes of heap besides its data, a view on a shared one ~100,
   * and at four arrays a model that was most of what a calibration added.
   */
  private allocate(steps: number): { upTo: Float32Array; positive: Uint16Array } {
    const recentBytes = TRAFFIC_BUCKETS * 2 * 8;
    const hourlyBytes = HOURLY_BUCKETS * 2 * 4;
    this.held = recentBytes + hourlyBytes + steps * 6;
    const buffer = new ArrayBuffer(this.held);
    const recent = new Float64Array(buffer, 0, TRAFFIC_BUCKETS * 2);
    const hourly = new Float32Array(buffer, recentBytes, HOURLY_BUCKETS * 2);
    if (this.recent) this.recent.moveTo(recent);
    else this.recent = new SumRing(FINE_BUCKET_MS, TRAFFIC_BUCKETS, 64, recent);
    if (this.hourly) this.hourly.moveTo(hourly);
    else this.hourly = new SumRing(HOUR, HOURLY_BUCKETS, 32, hourly);
    return {
      upTo: new Float32Array(buffer, recentBytes + hourlyBytes, steps),
      positive: new Uint16Array(buffer, recentBytes + hourlyBytes + steps * 4, steps),
    };
  }

  /**
   * Replaces the calibration. Buckets already counted keep the probabilities they were counted with:
   * a new reference applies from the predictions after it.
   */
  applyCalibration(version: string, c: Calibration): void {
    const p = calibrate(c.counts.map((count, i) => ({ count, positives: c.positives[i] })));
    const upTo: number[] = [];
    const units: number[] = [];
    let total = 0;
    for (let i = 0; i < p.length; i++) {
      total += c.counts[i];
      const edge = Math.fround(i < c.edges.length ? c.edges[i] : 1);
      const u = Math.round(p[i] * PROBABILITY_UNIT);
      if (units.length > 0 && units[units.length - 1] === u) upTo[upTo.length - 1] = edge;
      else {
        upTo.push(edge);
        units.push(u);
      }
    }
    // Whatever the last edge, every score up to 1 falls in the last step.
    upTo[upTo.length - 1] = Math.max(1, upTo[upTo.length - 1]);
    this.version = version;
    const steps = this.allocate(upTo.length);
    steps.upTo.set(upTo);
    steps.positive.set(units);
    this.upTo = steps.upTo;
    this.positive = steps.positive;
    this.referenceAccuracy = c.correct / total;
  }

  /** The calibrated probability (PROBABILITY_UNITs) that a score's prediction of 1 is right. */
  private positiveAt(upTo: Float32Array, score: number): number {
    const s = Math.fround(score);
    let lo = 0;
    let hi = upTo.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (upTo[mid] >= s) hi = mid;
      else lo = mid + 1;
    }
    return this.positive![lo];
  }

  /** One scored prediction at event time `t`. */
  observe(version: string, t: number, score: number, predictedLabel: 0 | 1): void {
    const upTo = this.upTo;
    if (upTo === null || version !== this.version) return;
    const p = this.positiveAt(upTo, score);
    this.recent!.add(t, predictedLabel === 1 ? p : PROBABILITY_UNIT - p, 1);
  }

  /** A window's score histogram, each bin read at its upper edge (exact when edges match). */
  observeHistogram(version: string, t: number, h: ScoreHistogram): void {
    const upTo = this.upTo;
    if (upTo === null || version !== this.version) return;
    let right = 0;
    let n = 0;
    for (let i = 0; i < h.predicted0.length; i++) {
      const p = this.positiveAt(upTo, i < h.edges.length ? h.edges[i] : 1);
      right += h.predicted1[i] * p + h.predicted0[i] * (PROBABILITY_UNIT - p);
      n += h.predicted0[i] + h.predicted1[i];
    }
    if (n === 0) return;
    this.recent!.add(t, right, n);
  }

  /**
   * Adds the 5-minute bucket that ends at boundary `b` to its hour, once, when `b` is judged: by
   * then every record before `b` has been counted (later ones are late), and the per-record path
   * touches one ring instead of two.
   */
  closeBucket(b: number): void {
    if (this.upTo === null) return;
    const [right, n] = this.recent!.sum(b, FINE_BUCKET_MS, this.scratch);
    if (n > 0) this.hourly!.add(b - FINE_BUCKET_MS, right / PROBABILITY_UNIT, n);
  }

  private readonly scratch = [0, 0];

  /**
   * The estimate over the newest 5-minute buckets before `end` that together hold at least
   * `minPredictions` scored predictions, looking back at most an hour; null when the hour holds
   * fewer.
   */
  estimateBefore(end: number, minPredictions: number): EstimateWindow | null {
    if (this.upTo === null) return null;
    const sums = [0, 0];
    for (let k = 1; k * FINE_BUCKET_MS <= HOUR; k++) {
      this.recent!.sum(end, k * FINE_BUCKET_MS, sums);
      if (sums[1] >= minPredictions && sums[1] > 0) {
        return {
          start: end - k * FINE_BUCKET_MS,
          end,
          predictions: sums[1],
          estimate: sums[0] / PROBABILITY_UNIT / sums[1],
        };
      }
    }
    return null;
  }

  /**
   * The estimate over the whole hours covering [start, end), or null when no scored predictions of
   * those hours are kept: what the labels of a quality window are compared with.
   */
  estimateOver(start: number, end: number): number | null {
    if (this.upTo === null) return null;
    const from = Math.floor(start / HOUR) * HOUR;
    const to = Math.ceil(end / HOUR) * HOUR;
    const [right, n] = this.hourly!.sum(to, to - from);
    return n > 0 ? right / n : null;
  }

  /** Bytes held beyond an uncalibrated model's: the steps, both rings and the fields they need. */
  get byteLength(): number {
    if (this.upTo === null) return 0;
    return 48 + this.held;
  }

  toJSON(): AccuracyEstimationJSON {
    return {
      version: this.version,
      upTo: Array.from(this.upTo ?? []),
      positive: Array.from(this.positive ?? []),
      referenceAccuracy: Number.isFinite(this.referenceAccuracy) ? this.referenceAccuracy : null,
      recent: this.recent?.toJSON() ?? { n: -1, c: [] },
      hourly: this.hourly?.toJSON() ?? { n: -1, c: [] },
      refuted: this.refuted,
    };
  }

  static fromJSON(
    json: AccuracyEstimationJSON | LegacyEstimationJSON | undefined,
  ): AccuracyEstimation {
    const e = new AccuracyEstimation();
    if (!json || json.upTo.length === 0) return e;
    e.version = json.version;
    e.referenceAccuracy = json.referenceAccuracy ?? Number.NaN;
    e.refuted = json.refuted;
    const legacy = !('positive' in json);
    // A checkpoint from when probabilities and sums were held in millionths is converted once, so
    // the hour after a deploy is estimated from the sums already counted.
    const toUnits = (micros: number) => Math.round((micros / 1e6) * PROBABILITY_UNIT);
    const steps = e.allocate(json.upTo.length);
    steps.upTo.set(json.upTo);
    steps.positive.set(legacy ? json.positiveMicros.map(toUnits) : json.positive);
    e.upTo = steps.upTo;
    e.positive = steps.positive;
    const recent = legacy
      ? { ...json.recent, c: json.recent.c.map((v, k) => (k % 2 === 0 ? toUnits(v) : v)) }
      : json.recent;
    const hourly = legacy
      ? { ...json.hourly, c: json.hourly.c.map((v, k) => (k % 2 === 0 ? v / 1e6 : v)) }
      : json.hourly;
    e.recent!.restore(recent);
    e.hourly!.restore(hourly);
    return e;
  }
}

export interface AccuracyEstimationJSON {
  version: string;
  upTo: number[];
  positive: number[];
  referenceAccuracy: number | null;
  recent: SumRingJSON;
  hourly: SumRingJSON;
  refuted: boolean;
}

/** The checkpoint as written before probabilities were held in two bytes. */
export interface LegacyEstimationJSON {
  version: string;
  upTo: number[];
  positiveMicros: number[];
  referenceAccuracy: number | null;
  recent: LegacyRingJSON;
  hourly: LegacyRingJSON;
  refuted: boolean;
}
