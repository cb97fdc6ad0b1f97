import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrate, estimateAccuracy, poolAdjacentViolators } from './accuracy-estimate';

/** NannyML 0.13.1's CBPE on its synthetic work-from-home dataset (tools/reference-checks/nannyml_cbpe.py). */
interface Fixture {
  referenceAccuracy: number;
  calibration: Record<string, { count: number; positives: number }>;
  chunks: {
    index: number;
    estimated: number;
    samplingError: number;
    lowerBound: number;
    upperBound: number;
    realized: number;
    histogram: Record<string, { '0': number; '1': number }>;
  }[];
}
const nannyml = JSON.parse(
  readFileSync(join(__dirname, '../../../../test/fixtures/nannyml-cbpe.json'), 'utf8'),
) as Fixture;

describe('pool-adjacent-violators', () => {
  it('leaves a non-decreasing sequence as it is', () => {
    expect(poolAdjacentViolators([0.1, 0.2, 0.2, 0.9], [1, 1, 1, 1])).toEqual([0.1, 0.2, 0.2, 0.9]);
  });

  it('pools violators into their weighted mean', () => {
    // 0.5 (weight 3) then 0.1 (weight 1) pool to 0.4; then 0.3 pools with them: (1.6 + 0.3) / 5.
    expect(poolAdjacentViolators([0.5, 0.1, 0.3, 0.8], [3, 1, 1, 2])).toEqual([
      0.38, 0.38, 0.38, 0.8,
    ]);
  });

  it('gives a bin without weight the value of the fitted bin below it', () => {
    expect(poolAdjacentViolators([0, 0.2, 0, 0.6, 0], [0, 1, 0, 1, 0])).toEqual([
      0.2, 0.2, 0.2, 0.6, 0.6,
    ]);
  });
});

describe('estimated accuracy, checked against NannyML CBPE', () => {
  const scores = Object.keys(nannyml.calibration).sort((a, b) => Number(a) - Number(b));
  const calibrated = calibrate(scores.map((s) => nannyml.calibration[s]));
  const estimates = nannyml.chunks.map((c) => ({
    chunk: c,
    ours: estimateAccuracy(
      {
        negative: scores.map((s) => c.histogram[s]?.['0'] ?? 0),
        positive: scores.map((s) => c.histogram[s]?.['1'] ?? 0),
      },
      calibrated,
      nannyml.referenceAccuracy,
    )!,
  }));

  it.each(nannyml.chunks.map((c) => [c.index]))(
    'chunk %i: within 0.001 of NannyML, with its sampling error and bounds',
    (index) => {
      const { chunk, ours } = estimates[index];
      expect(Math.abs(ours.estimate - chunk.estimated)).toBeLessThanOrEqual(0.001);
      expect(ours.predictions).toBe(5000);
      expect(ours.samplingError).toBeCloseTo(chunk.samplingError, 6);
      expect(Math.abs(ours.lower - chunk.lowerBound)).toBeLessThanOrEqual(0.001);
      expect(Math.abs(ours.upper - chunk.upperBound)).toBeLessThanOrEqual(0.001);
    },
  );

  it('realized accuracy falls within the stated bounds in at least 9 of 10 chunks', () => {
    const within = estimates.filter(
      ({ chunk, ours }) => chunk.realized >= ours.lower && chunk.realized <= ours.upper,
    );
    expect(within.length).toBeGreaterThanOrEqual(9);
  });

  it('an empty window has no estimate', () => {
    expect(estimateAccuracy({ negative: [0], positive: [0] }, [0.5], 0.9)).toBeNull();
  });
});
