import { BucketRing } from './bucket-ring';
import {
  COARSE_BUCKET_MS,
  COARSE_BUCKETS,
  FINE_BUCKET_MS,
  FINE_BUCKETS,
  FINE_SPAN_MS,
} from '../settings/rule-settings';

export const TOTAL = 0;
export const ERRORS = 1;
export const SLOW = 2;

/**
 * Request counters for the burn-rate rules: total, errors and slow requests (over the latency target
 * of their interaction type). Fine 5-minute buckets answer windows up to 6 h; hourly buckets answer
 * the 1-day and 3-day windows (to the hour).
 */
export class SloCounters {
  constructor(
    readonly fine = new BucketRing(FINE_BUCKET_MS, FINE_BUCKETS, 3),
    readonly coarse = new BucketRing(COARSE_BUCKET_MS, COARSE_BUCKETS, 3),
  ) {}

  add(t: number, total: number, errors: number, slow: number): void {
    this.fine.add3(t, total, errors, slow);
    this.coarse.add3(t, total, errors, slow);
  }

  /** [total, errors, slow] over [end − windowMs, end). */
  window(end: number, windowMs: number): number[] {
    return windowMs <= FINE_SPAN_MS ? this.fine.sum(end, windowMs) : this.coarse.sum(end, windowMs);
  }

  get byteLength(): number {
    return this.fine.byteLength + this.coarse.byteLength;
  }

  toJSON() {
    return { f: this.fine.toJSON(), c: this.coarse.toJSON() };
  }

  static fromJSON(json: ReturnType<SloCounters['toJSON']>): SloCounters {
    return new SloCounters(
      BucketRing.fromJSON(json.f, FINE_BUCKET_MS, FINE_BUCKETS, 3),
      BucketRing.fromJSON(json.c, COARSE_BUCKET_MS, COARSE_BUCKETS, 3),
    );
  }
}
