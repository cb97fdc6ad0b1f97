/**
 * Event-time pairs of sums in fixed buckets, without a per-slot bucket index: the ring remembers only
 * its newest bucket, clears the slots time moves past and refuses buckets older than the ring
 * reaches. A calibrated model holds two of these, so the index each slot of a `BucketRing` carries
 * (a third of its bytes) is worth saving here.
 *
 * `precision` 64 keeps sums exact (the estimate the rule judges sums integers); 32 halves the bytes
 * where a relative error of 6e-8 cannot matter (the day of hourly sums the estimate's error against
 * labels is measured on). Either way the sums are added in a fixed order per bucket, so a replay
 * gives the same bits.
 */
export class SumRing {
  private slots: Float64Array | Float32Array;
  /** Bucket index of the newest bucket held; −1 before the first. */
  private newest = -1;

  /** `slots`, when given, is where the ring keeps its sums (`size × 2` of them, zeroed). */
  constructor(
    readonly bucketMs: number,
    readonly size: number,
    readonly precision: 32 | 64 = 64,
    slots?: Float64Array | Float32Array,
  ) {
    this.slots =
      slots ?? (precision === 64 ? new Float64Array(size * 2) : new Float32Array(size * 2));
  }

  /** Moves the sums to `slots` (same size and precision): lets an owner re-pack its memory. */
  moveTo(slots: Float64Array | Float32Array): void {
    slots.set(this.slots);
    this.slots = slots;
  }

  /** Adds `a` and `b` to the bucket holding event time `t`; a bucket older than the ring reaches is ignored. */
  add(t: number, a: number, b: number): void {
    const index = Math.floor(t / this.bucketMs);
    const slots = this.slots;
    if (index > this.newest) {
      for (let k = Math.max(this.newest + 1, index - this.size + 1); k <= index; k++) {
        const at = (k % this.size) * 2;
        slots[at] = slots[at + 1] = 0;
      }
      this.newest = index;
    } else if (index <= this.newest - this.size) return;
    const at = (index % this.size) * 2;
    slots[at] += a;
    slots[at + 1] += b;
  }

  /** Sums both counters over the buckets in [end − windowMs, end); `end` is bucket-aligned. */
  sum(end: number, windowMs: number, out: number[] = [0, 0]): number[] {
    out[0] = out[1] = 0;
    const last = Math.min(Math.floor(end / this.bucketMs) - 1, this.newest);
    const first = Math.max(
      Math.floor((end - windowMs) / this.bucketMs),
      this.newest - this.size + 1,
    );
    for (let index = Math.max(first, 0); index <= last; index++) {
      const at = (index % this.size) * 2;
      out[0] += this.slots[at];
      out[1] += this.slots[at + 1];
    }
    return out;
  }

  /** The sums' bytes and the newest index. */
  get byteLength(): number {
    return this.slots.byteLength + 8;
  }

  /** The newest bucket's index and the pairs up to it, oldest first, without leading empty buckets. */
  toJSON(): SumRingJSON {
    const c: number[] = [];
    if (this.newest < 0) return { n: -1, c };
    for (let index = Math.max(0, this.newest - this.size + 1); index <= this.newest; index++) {
      const at = (index % this.size) * 2;
      if (c.length === 0 && this.slots[at] === 0 && this.slots[at + 1] === 0) continue;
      c.push(this.slots[at], this.slots[at + 1]);
    }
    return { n: this.newest, c };
  }

  /**
   * Adds a checkpoint's sums to this ring; also reads a checkpoint written when these sums lived in
   * a `BucketRing` (`{ i, c }`: one index per held bucket), so a deploy resumes from the state topic
   * as it stands.
   */
  restore(json: SumRingJSON | LegacyRingJSON): void {
    const bucketMs = this.bucketMs;
    if ('n' in json) {
      const held = json.c.length / 2;
      for (let k = 0; k < held; k++) {
        this.add((json.n - held + 1 + k) * bucketMs, json.c[2 * k], json.c[2 * k + 1]);
      }
      if (json.n >= 0) this.add(json.n * bucketMs, 0, 0);
      return;
    }
    const order = json.i.map((index, n) => ({ index, n })).sort((x, y) => x.index - y.index);
    for (const { index, n } of order) this.add(index * bucketMs, json.c[2 * n], json.c[2 * n + 1]);
  }
}

export interface SumRingJSON {
  n: number;
  c: number[];
}

/** A two-counter `BucketRing` checkpoint. */
export interface LegacyRingJSON {
  i: number[];
  c: number[];
}
