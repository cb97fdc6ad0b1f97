/**
 * The model status's "when did we last see …" facts, answered as of a 5-minute boundary: the latest
 * event time of any record, of labels (quality) and of latency (prediction / window) before the
 * boundary, the version of the latest record before it and when that version was first seen.
 *
 * A boundary is judged once the watermark has passed it by the lateness, so by then records after it
 * may or may not have arrived, depending on arrival order. A plain "latest so far" would therefore
 * differ between two arrival orders of the same telemetry; per 5-minute bucket maxima do not: the
 * status at boundary b reads only buckets before b. Buckets older than the ring fold into `settled`
 * (they lie before every boundary still to be judged). Memory is fixed: SLOTS × 4 numbers and one
 * version string per slot, plus the first-seen time of the last VERSIONS_KEPT versions.
 */
const BUCKET_MS = 5 * 60_000;
/** One hour of lateness (the most settings allow) plus the bucket being judged and one spare. */
const SLOTS = 14;
const STRIDE = 4;
const VERSIONS_KEPT = 8;

export const ANY = 1;
export const LABELS = 2;
export const LATENCY = 4;

export interface MarksAt {
  lastRecordAt: number;
  lastLabelsAt: number;
  lastLatencyAt: number;
  /** Version of the latest record before the boundary ('' when there is none). */
  version: string;
  /** Earliest event time of any record of that version (−∞ when unknown). */
  versionFirstSeenAt: number;
}

export interface StatusMarksJSON {
  i: number[];
  c: number[];
  v: string[];
  settled: [number | null, number | null, number | null, string];
  first: [string, number][];
}

export class StatusMarks {
  /** Per slot: [bucket index, latest any, latest labels, latest latency]. */
  private readonly slots = new Float64Array(SLOTS * STRIDE).fill(-Infinity);
  private readonly versions: string[] = new Array<string>(SLOTS).fill('');
  private readonly settled = [-Infinity, -Infinity, -Infinity];
  private settledVersion = '';
  /** Version → earliest event time seen, newest versions kept. */
  private readonly first = new Map<string, number>();

  constructor() {
    for (let s = 0; s < SLOTS; s++) this.slots[s * STRIDE] = -1;
  }

  note(t: number, kinds: number, version: string): void {
    const index = Math.floor(t / BUCKET_MS);
    const at = (index % SLOTS) * STRIDE;
    const slots = this.slots;
    if (slots[at] !== index) {
      if (slots[at] > index) {
        this.settle(t, kinds, version);
        this.noteVersion(t, version);
        return;
      }
      if (slots[at] >= 0) this.settleSlot(at);
      slots[at] = index;
      slots[at + 1] = slots[at + 2] = slots[at + 3] = -Infinity;
      this.versions[at / STRIDE] = '';
    }
    // Ties in event time go to the greater version string, so arrival order never decides.
    if (t > slots[at + 1] || (t === slots[at + 1] && version > this.versions[at / STRIDE])) {
      slots[at + 1] = t;
      this.versions[at / STRIDE] = version;
    }
    if (kinds & LABELS && t > slots[at + 2]) slots[at + 2] = t;
    if (kinds & LATENCY && t > slots[at + 3]) slots[at + 3] = t;
    this.noteVersion(t, version);
  }

  /** The facts as of boundary `b`: only records with event time before it count. */
  at(b: number): MarksAt {
    const last = Math.floor(b / BUCKET_MS) - 1;
    let any = this.settled[0];
    let version = this.settledVersion;
    let labels = this.settled[1];
    let latency = this.settled[2];
    for (let s = 0; s < SLOTS; s++) {
      const at = s * STRIDE;
      const index = this.slots[at];
      if (index < 0 || index > last) continue;
      const t = this.slots[at + 1];
      if (t > any || (t === any && this.versions[s] > version)) {
        any = t;
        version = this.versions[s];
      }
      if (this.slots[at + 2] > labels) labels = this.slots[at + 2];
      if (this.slots[at + 3] > latency) latency = this.slots[at + 3];
    }
    return {
      lastRecordAt: any,
      lastLabelsAt: labels,
      lastLatencyAt: latency,
      version,
      versionFirstSeenAt: this.first.get(version) ?? -Infinity,
    };
  }

  get byteLength(): number {
    return this.slots.byteLength + SLOTS * 24 + this.first.size * 48 + 64;
  }

  private settleSlot(at: number): void {
    const t = this.slots[at + 1];
    const v = this.versions[at / STRIDE];
    if (t > this.settled[0] || (t === this.settled[0] && v > this.settledVersion)) {
      this.settled[0] = t;
      this.settledVersion = v;
    }
    if (this.slots[at + 2] > this.settled[1]) this.settled[1] = this.slots[at + 2];
    if (this.slots[at + 3] > this.settled[2]) this.settled[2] = this.slots[at + 3];
  }

  private settle(t: number, kinds: number, version: string): void {
    if (t > this.settled[0] || (t === this.settled[0] && version > this.settledVersion)) {
      this.settled[0] = t;
      this.settledVersion = version;
    }
    if (kinds & LABELS && t > this.settled[1]) this.settled[1] = t;
    if (kinds & LATENCY && t > this.settled[2]) this.settled[2] = t;
  }

  private noteVersion(t: number, version: string): void {
    const seen = this.first.get(version);
    if (seen !== undefined) {
      if (t < seen) this.first.set(version, t);
      return;
    }
    this.first.set(version, t);
    if (this.first.size > VERSIONS_KEPT) {
      // Forget the version first seen longest ago: a model rarely runs one it left 8 versions back.
      let oldest: string | undefined;
      for (const [v, at] of this.first)
        if (oldest === undefined || at < this.first.get(oldest)!) oldest = v;
      this.first.delete(oldest!);
    }
  }

  toJSON(): StatusMarksJSON {
    const i: number[] = [];
    const c: number[] = [];
    const v: string[] = [];
    for (let s = 0; s < SLOTS; s++) {
      const at = s * STRIDE;
      if (this.slots[at] < 0) continue;
      i.push(this.slots[at]);
      for (let k = 1; k < STRIDE; k++) c.push(finite(this.slots[at + k]) ?? -1);
      v.push(this.versions[s]);
    }
    return {
      i,
      c,
      v,
      settled: [
        finite(this.settled[0]),
        finite(this.settled[1]),
        finite(this.settled[2]),
        this.settledVersion,
      ],
      first: [...this.first],
    };
  }

  static fromJSON(json: StatusMarksJSON): StatusMarks {
    const m = new StatusMarks();
    json.i.forEach((index, n) => {
      const at = (index % SLOTS) * STRIDE;
      m.slots[at] = index;
      for (let k = 1; k < STRIDE; k++) {
        const t = json.c[n * (STRIDE - 1) + k - 1];
        m.slots[at + k] = t < 0 ? -Infinity : t;
      }
      m.versions[at / STRIDE] = json.v[n];
    });
    const [any, labels, latency] = json.settled;
    m.settled[0] = any ?? -Infinity;
    m.settled[1] = labels ?? -Infinity;
    m.settled[2] = latency ?? -Infinity;
    m.settledVersion = json.settled[3];
    for (const [v, t] of json.first) m.first.set(v, t);
    return m;
  }

  /** From a checkpoint that predates the marks: what it knew becomes settled history. */
  static fromLatest(l: {
    lastRecordAt: number;
    lastLabelsAt: number;
    lastLatencyAt: number;
    version: string;
    versionSince: number;
  }): StatusMarks {
    const m = new StatusMarks();
    m.settled[0] = l.lastRecordAt;
    m.settled[1] = l.lastLabelsAt;
    m.settled[2] = l.lastLatencyAt;
    m.settledVersion = l.version;
    if (l.version && Number.isFinite(l.versionSince)) m.first.set(l.version, l.versionSince);
    return m;
  }
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
