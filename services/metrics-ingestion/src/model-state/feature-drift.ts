import type { FeatureHistogram, FeatureValue } from '@fulcrum/contracts';
import {
  firstRowsFinal,
  keepEarliest,
  referenceFromHistograms,
  type Reference,
} from '../rules/drift-reference';
import { judgeDriftWindow } from '../rules/drift-judgement';
import { ReferenceSample } from '../rules/reference-sample';
import { countHistograms, countPrediction, type WindowCounts } from '../rules/drift-windows';
import type { EncodedRows, ReferenceRow } from '../rules/reference-rows.codec';
import type { Verdict } from '../rules/verdict';
import type { RuleSettings } from '../settings/rule-settings';
import {
  builderWithRows,
  decodeBuilderRows,
  decodeDrift,
  encodeDrift,
  type BuilderJSON,
  type DriftFields,
  type FeatureDriftJSON,
} from './feature-drift.codec';
import { ReferenceRowLog, type ChunkRef, type RowChunk } from './reference-row-log';

export type { FeatureDriftJSON } from './feature-drift.codec';

type DriftSettings = RuleSettings['drift'];

/**
 * Feature-drift state of one model: reference bins for the current model version (from a
 * `baseline` record, or built from the version's first N predictions), and count vectors over the
 * same bins for at most two open event-time windows. Memory per feature is O(bins); the only raw
 * values ever held are the first N of a version while its reference is being built. The math lives
 * in rules/: drift-reference (building the bins), drift-windows (counting), drift-judgement.
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
  reference: Reference = new Map();
  /** Window index → feature → counts over the reference bins. */
  windows = new Map<number, WindowCounts>();
  closedThrough = -Infinity;
  /** Event time from which predictions count in drift windows (set when a first-N reference is fixed). */
  countFrom = -Infinity;
  lastScores: Record<string, number> = {};
  /** Chunks of the restored row log that were missing from the changelog (see fromJSON). */
  missingRowChunks = 0;
  private builder: Builder | null = null;
  /** Last row-log generation used: a new log never reuses a generation's chunk keys. */
  private rowLogGeneration = 0;
  /** Row-log chunks no state message names any more: deleted after the next checkpoint (lazy: most models never have any). */
  private obsoleteChunks: ChunkRef[] | null = null;

  /** A baseline for the version being served (or the first one seen) replaces the reference. */
  applyBaseline(version: string, features: Record<string, FeatureHistogram>): void {
    this.version = version;
    this.source = 'baseline';
    this.retireRowLog();
    this.builder = null;
    this.countFrom = -Infinity;
    this.reference = referenceFromHistograms(features);
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
      const row = { t, features };
      const left = keepEarliest(this.builder.rows, row, s.referenceSize);
      if (left !== row) {
        this.builder.sample.add(features);
        this.builder.log.append(row);
        if (left) this.builder.sample.remove(left.features);
      }
      return 'reference';
    }
    if (t < this.countFrom) return 'ignored';
    const counts = this.windowAt(t, s);
    if (!counts) return 'late';
    countPrediction(counts, this.reference, features);
    return 'counted';
  }

  /** Pre-aggregated histograms from a `window` record. */
  observeHistograms(
    t: number,
    features: Record<string, FeatureHistogram>,
    s: DriftSettings,
  ): 'counted' | 'late' | 'ignored' {
    if (this.builder || this.reference.size === 0 || t < this.countFrom) return 'ignored';
    const counts = this.windowAt(t, s);
    if (!counts) return 'late';
    countHistograms(counts, this.reference, features);
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
      const { verdict, scores } = judgeDriftWindow(
        w,
        this.windows.get(w)!,
        this.reference,
        this.source,
        s,
      );
      if (scores) this.lastScores = scores;
      verdicts.push(verdict);
      this.windows.delete(w);
      this.closedThrough = Math.max(this.closedThrough, w + 1);
    }
    return verdicts;
  }

  /** The window `t` falls in, opened if need be; null when that window is already closed. */
  private windowAt(t: number, s: DriftSettings): WindowCounts | null {
    const w = Math.floor(t / s.windowMs);
    if (w < this.closedThrough) return null;
    let counts = this.windows.get(w);
    if (!counts) {
      counts = new Map();
      this.windows.set(w, counts);
    }
    return counts;
  }

  private startBuilding(version: string): void {
    this.version = version;
    this.source = 'first-predictions';
    this.reference = new Map();
    this.windows.clear();
    this.countFrom = -Infinity;
    this.retireRowLog();
    this.builder = {
      version,
      rows: [],
      sample: new ReferenceSample(),
      log: new ReferenceRowLog(++this.rowLogGeneration),
    };
  }

  private obsolete(refs: ChunkRef[]): void {
    if (refs.length > 0) (this.obsoleteChunks ??= []).push(...refs);
  }

  private retireRowLog(): void {
    if (this.builder) this.obsolete(this.builder.log.refs());
  }

  private finishReference(boundary: number, s: DriftSettings, allowedLatenessMs: number): void {
    const b = this.builder;
    if (!b || !firstRowsFinal(b.rows, s.referenceSize, boundary)) return;
    this.applyBaseline(b.version, b.sample.histograms(s.bins));
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
      // Each value once in its row and once in the sample (8 bytes in a sorted column).
      for (const row of this.builder.rows) bytes += 64 + 32 * Object.keys(row.features).length;
    return bytes;
  }

  /** A self-contained snapshot: a building reference's rows inline (tests; `checkpoint` writes them as a log). */
  toJSON(): FeatureDriftJSON {
    const b = this.builder;
    return encodeDrift(this.fields(), b ? builderWithRows(b.version, b.rows) : null);
  }

  /**
   * The changelog form: the state with the building reference's row log (chunk count and tail),
   * the new chunks to write before it, and the chunks to delete after it (see ReferenceRowLog).
   */
  checkpoint(): { json: FeatureDriftJSON; chunks: RowChunk[]; obsolete: ChunkRef[] } {
    const b = this.builder;
    let chunks: RowChunk[] = [];
    if (b) {
      if (b.log.needsRewrite(b.rows.length)) {
        this.retireRowLog();
        b.log = ReferenceRowLog.of(++this.rowLogGeneration, b.rows);
      }
      chunks = b.log.takeChunks();
    }
    const builder: BuilderJSON | null = b
      ? { version: b.version, kept: b.rows.length, log: b.log.toJSON() }
      : null;
    const obsolete = this.obsoleteChunks ?? [];
    this.obsoleteChunks = null;
    return { json: encodeDrift(this.fields(), builder), chunks, obsolete };
  }

  private fields(): DriftFields {
    return {
      version: this.version,
      source: this.source,
      reference: this.reference,
      windows: this.windows,
      closedThrough: this.closedThrough,
      countFrom: this.countFrom,
      lastScores: this.lastScores,
      rowLogGeneration: this.rowLogGeneration,
    };
  }

  /** A checkpoint that carried this state failed: its chunks may be lost, so the log is rewritten. */
  checkpointLost(): void {
    if (this.builder) this.builder.log.broken = true;
  }

  /**
   * From a snapshot or a checkpoint. `chunks` are the model's row-log chunks read from the
   * changelog, by "generation/index"; the ones the state does not name are deleted at the next
   * checkpoint.
   */
  static fromJSON(
    json: FeatureDriftJSON,
    chunks: ReadonlyMap<string, EncodedRows> = new Map(),
  ): FeatureDrift {
    const d = new FeatureDrift();
    const unused = new Map(chunks);
    Object.assign(d, decodeDrift(json, unused.keys()));
    if (json.builder) {
      const { rows, log, missingChunks } = decodeBuilderRows(
        json.builder,
        unused,
        () => ++d.rowLogGeneration,
      );
      d.missingRowChunks = missingChunks;
      d.builder = { version: json.builder.version, rows, sample: new ReferenceSample(), log };
      for (const row of rows) d.builder.sample.add(row.features);
    }
    for (const key of unused.keys()) {
      const [generation, index] = key.split('/').map(Number);
      // A leftover of the live generation (a write that failed after its chunks) would be deleted
      // after the chunk rewritten under its key: the log moves to a new generation instead.
      if (d.builder && generation === d.builder.log.generation) d.builder.log.broken = true;
      d.obsolete([{ generation, index }]);
    }
    return d;
  }
}

/** A first-N reference being built: the N earliest rows, and their values ready for binning. */
interface Builder {
  version: string;
  rows: ReferenceRow[];
  sample: ReferenceSample;
  log: ReferenceRowLog;
}
