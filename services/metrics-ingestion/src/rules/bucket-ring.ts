/**
 * Event-time counters in fixed buckets: `size` buckets of `bucketMs`, each holding `width` counters.
 * Memory is fixed (size × (width + 1) × 8 bytes) however much traffic a model has; a slot is reused
 * when time moves past it, so no raw samples are ever kept.
 *
 * One Float64Array holds each slot as [bucket index, counter 0, …, counter width−1]: a typed array
 * costs ~180 bytes of heap (the view and its ArrayBuffer) plus a native allocation, and every model
 * holds three rings, so two arrays per ring were ~10 % of a model's heap.
 */
export class BucketRing {
  private readonly slots: Float64Array;
  private readonly stride: number;

  constructor(
    readonly bucketMs: number,
    readonly size: number,
    readonly width: number,
  ) {
    this.stride = width + 1;
    this.slots = new Float64Array(size * this.stride);
    for (let slot = 0; slot < size; slot++) this.slots[slot * this.stride] = -1;
  }

  /**
   * Adds three counters to the bucket holding event time `t` (rings of width 3: the SLO counters'
   * total, errors, slow). Three arguments instead of an array keep the per-record path allocation-free.
   */
  add3(t: number, a: number, b: number, c: number): void {
    const index = Math.floor(t / this.bucketMs);
    const at = (index % this.size) * 4;
    const slots = this.slots;
    if (slots[at] !== index) {
      if (slots[at] > index) return;
      slots[at] = index;
      slots[at + 1] = slots[at + 2] = slots[at + 3] = 0;
    }
    slots[at + 1] += a;
    slots[at + 2] += b;
    slots[at + 3] += c;
  }

  /** Adds two counters to the bucket holding event time `t` (rings of width 2). */
  add2(t: number, a: number, b: number): void {
    const index = Math.floor(t / this.bucketMs);
    const at = (index % this.size) * 3;
    const slots = this.slots;
    if (slots[at] !== index) {
      if (slots[at] > index) return;
      slots[at] = index;
      slots[at + 1] = slots[at + 2] = 0;
    }
    slots[at + 1] += a;
    slots[at + 2] += b;
  }

  /** Sums every counter over the buckets in [end − windowMs, end); `end` is bucket-aligned. */
  sum(end: number, windowMs: number, out: number[] = new Array<number>(this.width)): number[] {
    out.fill(0);
    const last = Math.floor(end / this.bucketMs) - 1;
    const first = Math.floor((end - windowMs) / this.bucketMs);
    for (let index = Math.max(first, last - this.size + 1); index <= last; index++) {
      const at = (index % this.size) * this.stride;
      if (this.slots[at] !== index) continue;
      for (let i = 0; i < this.width; i++) out[i] += this.slots[at + 1 + i];
    }
    return out;
  }

  get byteLength(): number {
    return this.slots.byteLength;
  }

  toJSON(): { i: number[]; c: number[] } {
    const i: number[] = [];
    const c: number[] = [];
    for (let at = 0; at < this.slots.length; at += this.stride) {
      if (this.slots[at] < 0) continue;
      i.push(this.slots[at]);
      for (let k = 0; k < this.width; k++) c.push(this.slots[at + 1 + k]);
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
    const stride = width + 1;
    json.i.forEach((index, n) => {
      const at = (index % size) * stride;
      // A checkpoint written with a larger ring can hold two buckets for one slot: the newer wins,
      // as it would have live.
      if (ring.slots[at] > index) return;
      ring.slots[at] = index;
      for (let k = 0; k < width; k++) ring.slots[at + 1 + k] = json.c[n * width + k];
    });
    return ring;
  }
}
