/**
 * Live state of BENCH_MODELS (default 10,000) models × 12 features (10 numeric, 2 categorical):
 * a baseline, an open drift window, SLO buckets, a quality window and the last status, each model
 * folded through `evaluate` as in the service. Run with --expose-gc; prints JSON.
 */
import { TelemetryValidator } from '@fulcrum/contracts';
import { clockAt, evaluate } from '../../services/metrics-ingestion/src/evaluation/model-evaluator';
import { ModelState } from '../../services/metrics-ingestion/src/model-state/model-state';
import { DEFAULT_RULE_SETTINGS } from '../../services/metrics-ingestion/src/settings/rule-settings';
import { quality } from '@fulcrum/testing';
import { baselineFor, predictionMessages } from './telemetry-load';

const MODELS = Number(process.env.BENCH_MODELS ?? 10_000);
const FEATURES = 12;

function settle(): number {
  for (let i = 0; i < 4; i++) (global as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

const validator = new TelemetryValidator();
const t0 = Date.UTC(2026, 0, 1);
const before = settle();
const heapBefore = process.memoryUsage().heapUsed;
const states: ModelState[] = [];
for (let m = 0; m < MODELS; m++) {
  const state = new ModelState(`bench-model-${m}`);
  const records = [
    baselineFor(state.modelId, t0),
    ...predictionMessages(40, 1, t0, m).map((x, i) => ({
      ...(JSON.parse(x.value) as object),
      modelId: state.modelId,
      eventTime: new Date(t0 + i * 3 * 60_000).toISOString(),
    })),
    quality(state.modelId, t0, t0 + 600_000, 100, 95),
  ];
  for (const r of records) {
    const d = validator.validate(r);
    if (!d.ok) throw new Error(d.rejection.message);
    evaluate(state, d, DEFAULT_RULE_SETTINGS, clockAt(Date.now()));
  }
  states.push(state);
}
const after = settle();
const heapAfter = process.memoryUsage().heapUsed;
const estimated = states.reduce((n, s) => n + s.byteLength, 0);
process.stdout.write(
  JSON.stringify({
    models: MODELS,
    features: FEATURES,
    rssBytes: after,
    rssDeltaBytes: after - before,
    heapDeltaBytes: heapAfter - heapBefore,
    bytesPerModelFeature: (heapAfter - heapBefore) / (MODELS * FEATURES),
    estimatedStateBytes: estimated,
    openWindowsPerModel: states[0].drift.windows.size,
  }) + '\n',
);
