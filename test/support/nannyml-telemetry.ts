import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Calibration, ScoreHistogram, TelemetryRecord } from '@fulcrum/contracts';
import { baseline, prediction, quality, window } from '@fulcrum/testing';

/**
 * NannyML's CBPE on its bundled synthetic binary-classification (work-from-home) dataset, as
 * tools/reference-checks/nannyml_cbpe.py wrote it, and the same rows as Fulcrum telemetry: the
 * reference as a baseline's calibration, each analysis chunk of 5,000 rows as one hour of event time.
 */
export interface NannymlChunk {
  index: number;
  estimated: number;
  samplingError: number;
  lowerBound: number;
  upperBound: number;
  realized: number;
  histogram: Record<string, { '0': number; '1': number }>;
}
export interface NannymlFixture {
  tool: Record<string, string>;
  chunkSize: number;
  referenceAccuracy: number;
  calibration: Record<string, { count: number; positives: number }>;
  chunks: NannymlChunk[];
}

export const NANNYML: NannymlFixture = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/nannyml-cbpe.json'), 'utf8'),
) as NannymlFixture;

const HOUR = 3_600_000;
/** Scores carry two decimals: one bin per hundredth, upper edges 0.00 … 0.99, the last bin up to 1. */
export const SCORE_EDGES = Array.from({ length: 100 }, (_, i) => Number((i / 100).toFixed(2)));
const binOf = (key: string) => Math.round(Number(key) * 100);

export function nannymlCalibration(): Calibration {
  const counts = new Array<number>(101).fill(0);
  const positives = new Array<number>(101).fill(0);
  for (const [key, bin] of Object.entries(NANNYML.calibration)) {
    counts[binOf(key)] += bin.count;
    positives[binOf(key)] += bin.positives;
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    edges: SCORE_EDGES,
    counts,
    positives,
    correct: Math.round(NANNYML.referenceAccuracy * total),
  };
}

export function chunkHistogram(chunk: NannymlChunk): ScoreHistogram {
  const predicted0 = new Array<number>(101).fill(0);
  const predicted1 = new Array<number>(101).fill(0);
  for (const [key, c] of Object.entries(chunk.histogram)) {
    predicted0[binOf(key)] += c['0'];
    predicted1[binOf(key)] += c['1'];
  }
  return { edges: SCORE_EDGES, predicted0, predicted1 };
}

/** Rows of a chunk in a seeded shuffled order: (score, predicted label). */
function chunkRows(chunk: NannymlChunk, seed: number): [number, 0 | 1][] {
  const rows: [number, 0 | 1][] = [];
  for (const [key, c] of Object.entries(chunk.histogram)) {
    for (let i = 0; i < c['0']; i++) rows.push([Number(key), 0]);
    for (let i = 0; i < c['1']; i++) rows.push([Number(key), 1]);
  }
  let x = seed;
  for (let i = rows.length - 1; i > 0; i--) {
    x = (x * 48271) % 2147483647;
    const j = x % (i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

export interface NannymlTelemetryOptions {
  modelId: string;
  /** Start of chunk 0's hour; chunk k covers [t0 + k h, t0 + (k + 1) h). */
  t0: number;
  /** 'predictions': one prediction record per row; 'windows': one window record per 5 minutes. */
  form: 'predictions' | 'windows';
  /** Labels of chunk k arrive this long after its hour ends (a quality record per chunk). */
  labelDelayMs?: number;
}

/**
 * The baseline, then every chunk's telemetry and its delayed labels, in event-time order, and a
 * final record that moves the event-time clock past the last chunk's boundary plus the lateness.
 */
export function nannymlTelemetry(o: NannymlTelemetryOptions): TelemetryRecord[] {
  const out: { t: number; r: TelemetryRecord }[] = [];
  out.push({ t: o.t0 - HOUR, r: baseline(o.modelId, o.t0 - HOUR, {}, 'v1', nannymlCalibration()) });
  NANNYML.chunks.forEach((chunk, k) => {
    const start = o.t0 + k * HOUR;
    if (o.form === 'predictions') {
      const rows = chunkRows(chunk, 7 + k);
      rows.forEach(([score, label], i) => {
        const t = start + Math.floor((i * HOUR) / rows.length);
        out.push({ t, r: prediction(o.modelId, t, { score, predictedLabel: label }) });
      });
    } else {
      // The chunk's rows split over twelve 5-minute windows: row i goes to window i mod 12.
      const rows = chunkRows(chunk, 7 + k);
      for (let w = 0; w < 12; w++) {
        const h = {
          edges: SCORE_EDGES,
          predicted0: new Array<number>(101).fill(0),
          predicted1: new Array<number>(101).fill(0),
        };
        let count = 0;
        for (let i = w; i < rows.length; i += 12) {
          const [score, label] = rows[i];
          (label === 1 ? h.predicted1 : h.predicted0)[binOf(score.toFixed(2))]++;
          count++;
        }
        const ws = start + w * 5 * 60_000;
        out.push({
          t: ws + 5 * 60_000 - 1,
          r: window(o.modelId, ws, ws + 5 * 60_000, { count, scores: h }),
        });
      }
    }
    if (o.labelDelayMs !== undefined) {
      const end = start + HOUR;
      const correct = Math.round(chunk.realized * NANNYML.chunkSize);
      const q = quality(o.modelId, start, end, NANNYML.chunkSize, correct);
      q.eventTime = new Date(end + o.labelDelayMs).toISOString();
      out.push({ t: end + o.labelDelayMs, r: q });
    }
  });
  const last = out.reduce((m, x) => Math.max(m, x.t), 0);
  const tick = last + 10 * 60_000;
  out.push({ t: tick, r: prediction(o.modelId, tick) });
  return out.sort((a, b) => a.t - b.t).map((x) => x.r);
}
