/**
 * Event-time counters in fixed buckets: `size` buckets of `bucketMs`, each holding `width` counters.
 * Memory is fixed (size × (width + 1) × 4 bytes) however much traffic a model has; a slot is reused
 * when time moves past it, so no raw samples are ever kept.
 */
export class BucketRing {
  readonly counters: Float64Array;
  readonly bucketIndex: Float64Array;

  constructor(
    readonly bucketMs: number,
    readonly size: number,
    readonly width: number,
  ) {
    this.counters = new Float64Array(size * width);
    this.bucketIndex = new Float64Array(size).fill(-1);
  }

  /**
   * Adds three counters to the bucket holding event time `t` (rings of width 3: the SLO counters'
   * total, errors, slow). Three arguments instead of an array keep the per-record path allocation-free.
   */
  add3(t: number, a: number, b: number, c: number): void {
    const index = Math.floor(t / this.bucketMs);
    const slot = index % this.size;
    const base = slot * 3;
    if (this.bucketIndex[slot] !== index) {
      if (this.bucketIndex[slot] > index) return;
      this.bucketIndex[slot] = index;
      this.counters.fill(0, base, base + 3);
    }
    this.counters[base] += a;
    this.counters[base + 1] += b;
    this.counters[base + 2] += c;
  }

  /** Adds two counters to the bucket holding event time `t` (rings of width 2). */
  add2(t: number, a: number, b: number): void {
    const index = Math.floor(t / this.bucketMs);
    const slot = index % this.size;
    const base = slot * 2;
    if (this.bucketIndex[slot] !== index) {
      if (this.bucketIndex[slot] > index) return;
      this.bucketIndex[slot] = index;
      this.counters.fill(0, base, base + 2);
    }
    this.counters[base] += a;
    this.counters[base + 1] += b;
  }

  /** Sums every counter over the buckets in [end − windowMs, end); `end` is bucket-aligned. */
  sum(end: number, windowMs: number, out: number[] = new Array<number>(this.width)): number[] {
    out.fill(0);
    const last = Math.floor(end / this.bucketMs) - 1;
    const first = Math.floor((end - windowMs) / this.bucketMs);
    for (let index = Math.max(first, last - this.size + 1); index <= last; index++) {
      const slot = index % this.size;
      if (this.bucketIndex[slot] !== index) continue;
      const base = slot * this.width;
      for (let i = 0; i < this.width; i++) out[i] += this.counters[base + i];
    }
    return out;
  }

  get byteLength(): number {
    return this.counters.byteLength + this.bucketIndex.byteLength;
  }

  toJSON(): { i: number[]; c: number[] } {
    const i: number[] = [];
    const c: number[] = [];
    for (let slot = 0; slot < this.size; slot++) {
      if (this.bucketIndex[slot] < 0) continue;
      i.push(this.bucketIndex[slot]);
      for (let k = 0; k < this.width; k++) c.push(this.counters[slot * this.width + k]);
    }
    return { i, c };
  }

  static fromJSON(
    json: { i: number[]; c: number[] },
    bucketMs: number,
    size: number,
    width: number,
  ): BucketRing {
    const ring = new BucketRing(bucketMs, size, width);
    json.i.forEach((index, n) => {
      const slot = index % size;
      ring.bucketIndex[slot] = index;
      for (let k = 0; k < width; k++) ring.counters[slot * width + k] = json.c[n * width + k];
    });
    return ring;
  }
}
