/**
 * What the accuracy estimate costs: the fold (decode, validate, evaluate) of the benchmark's
 * predictions with a score and predicted label on each and a calibration in each model's baseline,
 * against the same predictions without, alternating five runs of each in one process; and the state
 * a calibration adds per model.
 *   node -r ./scripts/register-paths.js dist/bench/src/scored-fold.js
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TelemetryValidator } from '@fulcrum/contracts';
import { ModelState } from '../../services/metrics-ingestion/src/model-state/model-state';
import { clockAt, evaluate } from '../../services/metrics-ingestion/src/evaluation/model-evaluator';
import { DEFAULT_RULE_SETTINGS } from '../../services/metrics-ingestion/src/settings/rule-settings';
import { SIZES } from './figure';
import type { Figure } from './figure';
import { foldMessages, foldRun } from './fold-ceiling';
import { baselineFor } from './telemetry-load';

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

const MEASURED_MODELS = 2_000;

/** Models folded with their baseline, with or without a calibration. */
function modelsWithBaseline(count: number, calibrated: boolean): ModelState[] {
  const validator = new TelemetryValidator();
  const t = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, k) => {
    const state = new ModelState(`m${k}`);
    const d = validator.validate(baselineFor(`m${k}`, t, calibrated));
    if (!d.ok) throw new Error(d.rejection.message);
    evaluate(state, d, DEFAULT_RULE_SETTINGS, clockAt(t));
    // One scored prediction a minute for an hour fills the 5-minute ring and the hour's sums.
    if (calibrated)
      for (let m = 0; m < 60; m++) {
        state.estimation.observe(d.record.modelVersion, t + m * 60_000, (m % 10) / 10, 1);
        if (m % 5 === 4) state.estimation.closeBucket(t + (m + 1) * 60_000);
      }
    return state;
  });
}

/** Heap plus array buffers after a full collection. */
function heldBytes(gc: () => void): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Bytes a calibrated model's state holds more than the same model without a calibration: as the
 * state counts itself (what the checkpoint's budget is kept by), and as the heap measures it over
 * a few thousand models (object headers included).
 */
function calibrationBytes(): { bytes: number; measured: number; steps: number } {
  const [plain] = modelsWithBaseline(1, false);
  const [scored] = modelsWithBaseline(1, true);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const before = heldBytes(gc);
  const plainModels = modelsWithBaseline(MEASURED_MODELS, false);
  const afterPlain = heldBytes(gc);
  const scoredModels = modelsWithBaseline(MEASURED_MODELS, true);
  const afterScored = heldBytes(gc);
  const perPlain = (afterPlain - before) / plainModels.length;
  const perScored = (afterScored - afterPlain) / scoredModels.length;
  return {
    bytes: scored.byteLength - plain.byteLength,
    measured: Math.round(perScored - perPlain),
    steps: scored.estimation.steps,
  };
}

export async function scoredFold(log: (line: string) => void = console.error): Promise<Figure[]> {
  const count = SIZES.records;
  const plain = foldMessages(count, SIZES.models, false);
  const scored = foldMessages(count, SIZES.models, true);
  const plainRuns: number[] = [];
  const scoredRuns: number[] = [];
  for (let r = 0; r < 5; r++) {
    plainRuns.push(await foldRun(plain, (l) => log(`without scores: ${l}`), r));
    scoredRuns.push(await foldRun(scored, (l) => log(`with scores: ${l}`), r));
  }
  const us = (rate: number) => Math.round(1e7 / rate) / 10;
  const withScores = us(median(scoredRuns));
  const without = us(median(plainRuns));
  const ratio = Math.round((withScores / without) * 100) / 100;
  const state = calibrationBytes();
  return [
    {
      name: 'fold CPU per record with scores (accuracy estimate)',
      value: withScores,
      unit: 'µs/record',
      baseline: {
        name: 'the same predictions without scores, same run',
        value: without,
        unit: 'µs/record',
      },
      ratio,
      target: '≤ 1.1 × without scores',
      met: ratio <= 1.1,
      runs: scoredRuns.map(us),
      notes: `${count} predictions over ${SIZES.models} models (10 numeric + 2 categorical features), one thread, five alternating runs each; with scores ${scoredRuns.map(us).join(', ')} µs, without ${plainRuns.map(us).join(', ')} µs`,
    },
    {
      name: 'state a calibration adds per model',
      value: state.bytes,
      unit: 'bytes',
      target: '≤ 1 KiB (1024 bytes)',
      met: state.bytes <= 1024,
      notes: `as the state counts itself; measured on the heap over ${MEASURED_MODELS} models, object headers included: ${state.measured} bytes. Calibration of 100 score bins fitted to ${state.steps} steps (6 bytes each) plus two rings of expected-right / count sums: 5-minute buckets for the last hour (64-bit, exact) and hourly buckets for the last day (32-bit; the estimate-vs-labels comparison), each with room for the allowed lateness`,
    },
  ];
}

if (require.main === module)
  void scoredFold(console.log).then((f) => console.log(JSON.stringify(f, null, 2)));
