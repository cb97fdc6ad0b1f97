import type { FeatureValue } from '@fulcrum/contracts';
import type { EncodedRows } from '../rules/reference-rows.codec';
import { DEFAULT_RULE_SETTINGS } from '../settings/rule-settings';
import { FeatureDrift, type FeatureDriftJSON } from './feature-drift';
import { ROW_CHUNK } from './reference-row-log';

const s = { ...DEFAULT_RULE_SETTINGS.drift, referenceSize: 300 };
const VERSION = 'v1';

function rng(seed: number) {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** Predictions with ties, nulls, strings and keys in varying order, `spread` ms of disorder. */
function predictions(seed: number, n: number, spread: number) {
  const r = rng(seed);
  const out: { t: number; features: Record<string, FeatureValue> }[] = [];
  for (let i = 0; i < n; i++) {
    const features: Record<string, FeatureValue> = {
      amount: Math.round(r() * 40) / 4,
      score: r() < 0.1 ? null : r(),
      country: ['de', 'fr', 'us'][Math.floor(r() * 3)],
    };
    if (r() < 0.2) delete features.amount;
    if (r() < 0.1) features.amount = Math.round(r() * 10); // now last in key order
    out.push({ t: i * 10 + Math.floor((r() - 0.5) * spread), features });
  }
  return out;
}

/**
 * One model's keys on the compacted state topic as a consumer reading it to the end sees them: the
 * latest state message and each row chunk's latest value. `lose` drops a checkpoint's writes from
 * a given message on (a write that failed part-way).
 */
class Changelog {
  state: FeatureDriftJSON | null = null;
  readonly chunks = new Map<string, EncodedRows>();
  written = { chunks: 0, rowsInChunks: 0, inlineRows: 0 };

  checkpoint(d: FeatureDrift, lose?: 'all' | 'after-chunks'): void {
    const { json, chunks, obsolete } = d.checkpoint();
    const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
    if (lose === 'all') return d.checkpointLost();
    for (const c of chunks) {
      this.chunks.set(`${c.generation}/${c.index}`, copy(c.rows));
      this.written.chunks++;
      this.written.rowsInChunks += c.rows.count;
    }
    if (lose === 'after-chunks') return d.checkpointLost();
    this.state = copy(json);
    const builder = json.builder;
    if (builder && 'log' in builder) this.written.inlineRows += builder.log.tail.count;
    for (const o of obsolete) this.chunks.delete(`${o.generation}/${o.index}`);
  }

  restore(): FeatureDrift {
    return FeatureDrift.fromJSON(this.state!, this.chunks);
  }

  /** Whether every chunk on the topic belongs to the generation the latest state names. */
  onlyLiveChunks(): boolean {
    const builder = this.state?.builder;
    const live = builder && 'log' in builder ? builder.log.generation : null;
    return [...this.chunks.keys()].every((key) => key.startsWith(`${live}/`));
  }

  get generation(): number | null {
    const builder = this.state?.builder;
    return builder && 'log' in builder ? builder.log.generation : null;
  }
}

/** The drift state of a run, with the building reference's rows inline (toJSON), for comparison. */
const comparable = (d: FeatureDrift) => {
  const { rowLogGeneration: _generation, ...rest } = d.toJSON();
  return rest;
};

describe('ReferenceRowLog (a building reference checkpointed as chunks of its accepted rows)', () => {
  it('given shuffled arrival and checkpoints at random points, when restored at any of them, then the rows and the reference are an uninterrupted run’s', () => {
    for (const seed of [1, 2, 3]) {
      const rows = predictions(seed, 900, 3_000);
      const r = rng(seed + 100);
      const uninterrupted = new FeatureDrift();
      let live = new FeatureDrift();
      const changelog = new Changelog();
      for (const [i, p] of rows.entries()) {
        uninterrupted.observe(VERSION, p.t, p.features, s);
        live.observe(VERSION, p.t, p.features, s);
        if (r() < 0.05) {
          changelog.checkpoint(live);
          // Half the time the process "restarts" from what the changelog holds.
          if (r() < 0.5) live = changelog.restore();
          expect(comparable(live)).toEqual(comparable(uninterrupted));
        }
        if (i % 100 === 99) {
          const boundary = i * 10 - 2_000;
          expect(live.close(boundary, s)).toEqual(uninterrupted.close(boundary, s));
        }
      }
      expect(live.referenceSource).toBe('first-predictions');
      expect(comparable(live)).toEqual(comparable(uninterrupted));
    }
  });

  it('given in-order arrival, then each accepted row is written in a chunk once and a checkpoint carries fewer than a chunk of rows inline', () => {
    const d = new FeatureDrift();
    const changelog = new Changelog();
    const rows = predictions(7, 299, 0);
    let checkpoints = 0;
    for (const [i, p] of rows.entries()) {
      d.observe(VERSION, p.t, p.features, s);
      if (i % 37 === 36) {
        changelog.checkpoint(d);
        checkpoints++;
        const builder = changelog.state!.builder!;
        expect('log' in builder && builder.log.tail.count).toBeLessThan(ROW_CHUNK);
      }
    }
    expect(changelog.written.rowsInChunks).toBe(Math.floor(296 / ROW_CHUNK) * ROW_CHUNK);
    expect(changelog.written.chunks).toBe(Math.floor(296 / ROW_CHUNK));
    expect(changelog.written.inlineRows).toBeLessThan(checkpoints * ROW_CHUNK);
  });

  it('given a checkpoint lost whole or after its chunks, when the next one is written and restored, then nothing is missing and the leftovers are deleted', () => {
    for (const lose of ['all', 'after-chunks'] as const) {
      const rows = predictions(11, 280, 2_000);
      const uninterrupted = new FeatureDrift();
      const live = new FeatureDrift();
      const changelog = new Changelog();
      for (const [i, p] of rows.entries()) {
        uninterrupted.observe(VERSION, p.t, p.features, s);
        live.observe(VERSION, p.t, p.features, s);
        if (i === 120) changelog.checkpoint(live);
        if (i === 200) changelog.checkpoint(live, lose);
      }
      changelog.checkpoint(live);
      const restored = changelog.restore();
      expect(restored.missingRowChunks).toBe(0);
      expect(comparable(restored)).toEqual(comparable(uninterrupted));
      // Only the live generation's chunks are left on the topic.
      expect(changelog.onlyLiveChunks()).toBe(true);
    }
  });

  it('given a restore that finds chunks no state names (a write that failed after them), then the log moves on to a new generation and the leftovers go', () => {
    const rows = predictions(13, 250, 0);
    const live = new FeatureDrift();
    const changelog = new Changelog();
    for (const [i, p] of rows.entries()) {
      live.observe(VERSION, p.t, p.features, s);
      if (i === 99) changelog.checkpoint(live);
      if (i === 199) changelog.checkpoint(live, 'after-chunks');
    }
    // The process died there: its successor finds chunk 3 of the live generation unnamed.
    const restored = changelog.restore();
    for (const p of rows.slice(200)) restored.observe(VERSION, p.t, p.features, s);
    changelog.checkpoint(restored);
    const again = changelog.restore();
    expect(again.missingRowChunks).toBe(0);
    expect(comparable(again)).toEqual(comparable(restored));
    expect(changelog.generation).toBeGreaterThan(1);
    expect(changelog.onlyLiveChunks()).toBe(true);
  });

  it('given rows arriving newest first (every one pushes another out), then the log is rewritten and the topic holds about the kept rows', () => {
    const rows = predictions(17, 1_500, 0).reverse();
    const live = new FeatureDrift();
    const changelog = new Changelog();
    for (const [i, p] of rows.entries()) {
      live.observe(VERSION, p.t, p.features, s);
      if (i % 60 === 59) changelog.checkpoint(live);
      expect(changelog.chunks.size).toBeLessThanOrEqual((2 * s.referenceSize) / ROW_CHUNK + 2);
    }
    changelog.checkpoint(live);
    expect(comparable(changelog.restore())).toEqual(comparable(live));
  });

  it('given the reference fixed, then the next checkpoint deletes every chunk of its log', () => {
    const live = new FeatureDrift();
    const changelog = new Changelog();
    for (const p of predictions(19, 400, 0)) live.observe(VERSION, p.t, p.features, s);
    changelog.checkpoint(live);
    expect(changelog.chunks.size).toBeGreaterThan(0);
    live.close(10_000, s);
    expect(live.referenceSource).toBe('first-predictions');
    changelog.checkpoint(live);
    expect(changelog.chunks.size).toBe(0);
    expect(comparable(changelog.restore())).toEqual(comparable(live));
  });
});
