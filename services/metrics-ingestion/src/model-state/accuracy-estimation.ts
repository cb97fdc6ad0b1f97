import type { Calibration, ScoreHistogram } from '@fulcrum/contracts';
import { BucketRing } from '../rules/bucket-ring';
import { calibrate, ERROR_SPAN_HOURS, type EstimateWindow } from '../rules/accuracy-estimate';
import { FINE_BUCKET_MS, TRAFFIC_BUCKETS } from '../settings/rule-settings';

const HOUR = 3_600_000;
/**
 * Expected right predictions are summed in millionths, as integers: float sums would depend on the
 * order records arrive in, and replays and shuffled arrival must give identical estimates. A
 * prediction's probability of being right is rounded to 1e-6, far below the estimate's noise.
 */
export const MICROS = 1_000_000;
const HOURLY_BUCKETS = ERROR_SPAN_HOURS + 2;
const NO_STEPS = new Float64Array(0);
const NO_MICROS = new Uint32Array(0);

/**
 * What a model needs to estimate its accuracy from scores: the calibration from its reference, as
 * steps (pool-adjacent-violators leaves a step function; adjacent bins of one step are stored once),
 * and the expected right predictions and scored predictions per 5-minute bucket for the last hour
 * (the rule's window) and per hour for the last day (to compare with labels when they come).
 * No rows: a model with a calibration holds 1.2 KiB of rings plus 12 bytes a step (1.8 KiB with
 * the 49 steps NannyML's reference calibrates to).
 */
export class AccuracyEstimation {
  /** The model version the calibration was measured on: other versions' scores are not estimated. */
  version = '';
  /** Upper score bound (inclusive) of each calibration step, ascending; the last is 1. */
  private upTo: Float64Array = NO_STEPS;
  /** Calibrated probability of the positive class in each step, in millionths (exact in 32 bits). */
  private positiveMicros: Uint32Array = NO_MICROS;
  /** Share of the reference's predictions that were right: it sets the sampling error. */
  referenceAccuracy = Number.NaN;
  recent = new BucketRing(FINE_BUCKET_MS, TRAFFIC_BUCKETS, 2);
  hourly = new BucketRing(HOUR, HOURLY_BUCKETS, 2);
  /** Set when labels refuted an estimated incident; cleared once the estimate is back above the line. */
  refuted = false;

  get calibrated(): boolean {
    return this.upTo.length > 0;
  }

  get steps(): number {
    return this.upTo.length;
  }

  /**
   * Replaces the calibration. Buckets already counted keep the probabilities they were counted with:
   * a new reference applies from the predictions after it.
   */
  applyCalibration(version: string, c: Calibration): void {
    const p = calibrate(c.counts.map((count, i) => ({ count, positives: c.positives[i] })));
    const upTo: number[] = [];
    const micros: number[] = [];
    let total = 0;
    for (let i = 0; i < p.length; i++) {
      total += c.counts[i];
      const edge = i < c.edges.length ? c.edges[i] : 1;
      const m = Math.round(p[i] * MICROS);
      if (micros.length > 0 && micros[micros.length - 1] === m) upTo[upTo.length - 1] = edge;
      else {
        upTo.push(edge);
        micros.push(m);
      }
    }
    // Whatever the last edge, every score up to 1 falls in the last step.
    upTo[upTo.length - 1] = Math.max(1, upTo[upTo.length - 1]);
    this.version = version;
    this.upTo = Float64Array.from(upTo);
    this.positiveMicros = Uint32Array.from(micros);
    this.referenceAccuracy = c.correct / total;
  }

  /** The calibrated probability (millionths) that a score's prediction of 1 is right. */
  private positiveAt(score: number): number {
    const upTo = this.upTo;
    let lo = 0;
    let hi = upTo.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (upTo[mid] >= score) hi = mid;
      else lo = mid + 1;
    }
    return this.positiveMicros[lo];
  }

  /** One scored prediction at event time `t`. */
  observe(version: string, t: number, score: number, predictedLabel: 0 | 1): void {
    if (version !== this.version || this.upTo.length === 0) return;
    const p = this.positiveAt(score);
    const right = predictedLabel === 1 ? p : MICROS - p;
    this.recent.add2(t, right, 1);
  }

  /** A window's score histogram, each bin read at its upper edge (exact when edges match). */
  observeHistogram(version: string, t: number, h: ScoreHistogram): void {
    if (version !== this.version || this.upTo.length === 0) return;
    let right = 0;
    let n = 0;
    for (let i = 0; i < h.predicted0.length; i++) {
      const p = this.positiveAt(i < h.edges.length ? h.edges[i] : 1);
      right += h.predicted1[i] * p + h.predicted0[i] * (MICROS - p);
      n += h.predicted0[i] + h.predicted1[i];
    }
    if (n === 0) return;
    this.recent.add2(t, right, n);
  }

  /**
   * Adds the 5-minute bucket that ends at boundary `b` to its hour, once, when `b` is judged: by
   * then every record before `b` has been counted (later ones are late), and the per-record path
   * touches one ring instead of two.
   */
  closeBucket(b: number): void {
    const [right, n] = this.recent.sum(b, FINE_BUCKET_MS, this.scratch);
    if (n > 0) this.hourly.add2(b - FINE_BUCKET_MS, right, n);
  }

  private readonly scratch = [0, 0];

  /**
   * The estimate over the newest 5-minute buckets before `end` that together hold at least
   * `minPredictions` scored predictions, looking back at most an hour; null when the hour holds
   * fewer.
   */
  estimateBefore(end: number, minPredictions: number): EstimateWindow | null {
    if (this.upTo.length === 0) return null;
    const sums = [0, 0];
    for (let k = 1; k * FINE_BUCKET_MS <= HOUR; k++) {
      this.recent.sum(end, k * FINE_BUCKET_MS, sums);
      if (sums[1] >= minPredictions && sums[1] > 0) {
        return {
          start: end - k * FINE_BUCKET_MS,
          end,
          predictions: sums[1],
          estimate: sums[0] / MICROS / sums[1],
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
    const from = Math.floor(start / HOUR) * HOUR;
    const to = Math.ceil(end / HOUR) * HOUR;
    const [right, n] = this.hourly.sum(to, to - from);
    return n > 0 ? right / MICROS / n : null;
  }

  get byteLength(): number {
    return (
      48 +
      this.recent.byteLength +
      this.hourly.byteLength +
      this.upTo.byteLength +
      this.positiveMicros.byteLength
    );
  }

  toJSON(): AccuracyEstimationJSON {
    return {
      version: this.version,
      upTo: Array.from(this.upTo),
      positiveMicros: Array.from(this.positiveMicros),
      referenceAccuracy: Number.isFinite(this.referenceAccuracy) ? this.referenceAccuracy : null,
      recent: this.recent.toJSON(),
      hourly: this.hourly.toJSON(),
      refuted: this.refuted,
    };
  }

  static fromJSON(json: AccuracyEstimationJSON | undefined): AccuracyEstimation {
    const e = new AccuracyEstimation();
    if (!json) return e;
    e.version = json.version;
    e.upTo = Float64Array.from(json.upTo);
    e.positiveMicros = Uint32Array.from(json.positiveMicros);
    e.referenceAccuracy = json.referenceAccuracy ?? Number.NaN;
    e.recent = BucketRing.fromJSON(json.recent, FINE_BUCKET_MS, TRAFFIC_BUCKETS, 2);
    e.hourly = BucketRing.fromJSON(json.hourly, HOUR, HOURLY_BUCKETS, 2);
    e.refuted = json.refuted;
    return e;
  }
}

export interface AccuracyEstimationJSON {
  version: string;
  upTo: number[];
  positiveMicros: number[];
  referenceAccuracy: number | null;
  recent: { i: number[]; c: number[] };
  hourly: { i: number[]; c: number[] };
  refuted: boolean;
}
