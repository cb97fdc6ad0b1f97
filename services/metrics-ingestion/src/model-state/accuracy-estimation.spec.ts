import type { Calibration } from '@fulcrum/contracts';
import { AccuracyEstimation, PROBABILITY_UNIT } from './accuracy-estimation';

const MIN5 = 300_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
/** Ten bins with upper edges 0.1 … 0.9 (none exact in binary) whose positive share rises with the score. */
const EDGES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const CALIBRATION: Calibration = {
  edges: EDGES,
  counts: Array<number>(10).fill(100),
  positives: [5, 15, 25, 35, 45, 55, 65, 75, 85, 95],
  correct: 900,
};

function calibrated(): AccuracyEstimation {
  const e = new AccuracyEstimation();
  e.applyCalibration('v1', CALIBRATION);
  return e;
}

describe('AccuracyEstimation', () => {
  it('holds nothing for a model without a calibration, and writes nothing of it', () => {
    const e = new AccuracyEstimation();
    e.observe('v1', T0, 0.5, 1);
    e.closeBucket(T0 + MIN5);
    expect(e.byteLength).toBe(0);
    expect(e.estimateBefore(T0 + MIN5, 1)).toBeNull();
    expect(e.toJSON().recent).toEqual({ n: -1, c: [] });
  });

  it('given a calibration, holds its rings and six bytes a step', () => {
    const e = calibrated();
    expect(e.steps).toBe(10);
    expect(e.byteLength).toBe(32 + (25 * 16 + 8) + (26 * 8 + 8) + 10 * 6);
  });

  it('reads a histogram at its upper edges in the step of that bin, though the edges are not exact in 32 bits', () => {
    const e = calibrated();
    // One prediction of 1 per bin: each counts its own bin's positive share.
    e.observeHistogram('v1', T0, {
      edges: EDGES,
      predicted0: Array<number>(10).fill(0),
      predicted1: Array<number>(10).fill(1),
    });
    const w = e.estimateBefore(T0 + MIN5, 10);
    const mean = CALIBRATION.positives.reduce((a, b) => a + b, 0) / 1000;
    expect(w?.estimate).toBeCloseTo(mean, 4);
    // A score exactly on an edge belongs to the bin below it, as the calibration binned it.
    const single = calibrated();
    single.observe('v1', T0, 0.3, 1);
    expect(single.estimateBefore(T0 + MIN5, 1)?.estimate).toBeCloseTo(0.25, 4);
  });

  it('keeps the sums already counted when a new calibration with fewer steps arrives', () => {
    const e = calibrated();
    e.observe('v1', T0, 0.95, 1);
    e.applyCalibration('v1', {
      edges: [0.5],
      counts: [100, 100],
      positives: [10, 90],
      correct: 180,
    });
    e.observe('v1', T0 + 1, 0.95, 1);
    expect(e.steps).toBe(2);
    expect(e.estimateBefore(T0 + MIN5, 2)?.estimate).toBeCloseTo((0.95 + 0.9) / 2, 4);
  });

  it('keeps its estimates through its JSON form (the changelog checkpoint)', () => {
    const e = calibrated();
    for (let k = 0; k < 600; k++)
      e.observe('v1', T0 + k * 6_000, (k % 97) / 97, k % 3 === 0 ? 0 : 1);
    for (let b = T0 + MIN5; b <= T0 + HOUR; b += MIN5) e.closeBucket(b);
    const copy = AccuracyEstimation.fromJSON(JSON.parse(JSON.stringify(e.toJSON())));
    expect(copy.estimateBefore(T0 + HOUR, 500)).toEqual(e.estimateBefore(T0 + HOUR, 500));
    expect(copy.estimateOver(T0, T0 + HOUR)).toBe(e.estimateOver(T0, T0 + HOUR));
    expect(copy.estimateOver(T0, T0 + HOUR)).toBeCloseTo(
      e.estimateBefore(T0 + HOUR, 600)!.estimate,
      6,
    );
  });

  it('reads a checkpoint written in millionths with its bucket indices', () => {
    const legacy = {
      version: 'v1',
      upTo: [0.5, 1],
      positiveMicros: [200_000, 800_000],
      referenceAccuracy: 0.8,
      // 5-minute bucket: 10 predictions, 8 of them expected right.
      recent: { i: [T0 / MIN5], c: [8_000_000, 10] },
      hourly: { i: [T0 / HOUR], c: [8_000_000, 10] },
      refuted: false,
    };
    const e = AccuracyEstimation.fromJSON(legacy);
    expect(e.steps).toBe(2);
    expect(e.estimateBefore(T0 + MIN5, 10)?.estimate).toBeCloseTo(0.8, 4);
    expect(e.estimateOver(T0, T0 + HOUR)).toBeCloseTo(0.8, 6);
    e.observe('v1', T0 + 1, 0.9, 1);
    expect(e.estimateBefore(T0 + MIN5, 11)?.estimate).toBeCloseTo((8 + 0.8) / 11, 4);
    expect(PROBABILITY_UNIT).toBe(65535);
  });
});
