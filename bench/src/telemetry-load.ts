import {
  calibrationOf,
  scoreEdges,
  TELEMETRY_SCHEMA_ID,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import { baseline, prediction, quality } from '@fulcrum/testing';
import { rng } from '../../tools/simulator/src/synthetic-model';

/** The benchmark's telemetry: predictions with 10 numeric and 2 categorical features. */
export const NUMERIC = Array.from({ length: 10 }, (_, i) => `f${i}`);
export const CATEGORICAL = ['country', 'device'];
const COUNTRIES = ['de', 'fr', 'us', 'br', 'in', 'jp', 'ng', 'au'];
const DEVICES = ['ios', 'android', 'web', 'tv'];
const EDGES = [-1.28, -0.84, -0.52, -0.25, 0, 0.25, 0.52, 0.84, 1.28];

/**
 * A calibration from 10,000 labeled reference predictions whose scores are calibrated (true label 1
 * with the score's probability), in 100 score bins: what the scored benchmark models estimate with.
 */
export function benchCalibration() {
  const r = rng(17);
  const rows = Array.from(
    { length: 10_000 },
    (): { score: number; predicted: 0 | 1; actual: 0 | 1 } => {
      const score = Math.round(r() * 100) / 100;
      return { score, predicted: score >= 0.5 ? 1 : 0, actual: r() < score ? 1 : 0 };
    },
  );
  return calibrationOf(rows, scoreEdges(100));
}

export function baselineFor(modelId: string, t: number, scored = false): TelemetryRecord {
  const features: Record<
    string,
    | { type: 'numeric'; edges: number[]; counts: number[] }
    | { type: 'categorical'; counts: Record<string, number> }
  > = {};
  for (const f of NUMERIC)
    features[f] = { type: 'numeric', edges: EDGES, counts: Array<number>(10).fill(100) };
  features.country = {
    type: 'categorical',
    counts: Object.fromEntries(COUNTRIES.map((c) => [c, 125])),
  };
  features.device = {
    type: 'categorical',
    counts: Object.fromEntries(DEVICES.map((d) => [d, 250])),
  };
  return baseline(modelId, t, features, 'v1', scored ? benchCalibration() : undefined);
}

/** Serialized prediction values for `models` models, event time advancing 10 ms per record. */
export function predictionMessages(
  count: number,
  models: number,
  t0: number,
  seed = 1,
  /** Each prediction also carries a score and its predicted label (the accuracy estimate's input). */
  scored = false,
): { key: string; value: string }[] {
  const r = rng(seed);
  const out: { key: string; value: string }[] = [];
  for (let i = 0; i < count; i++) {
    const modelId = `bench-model-${i % models}`;
    const features: Record<string, number | string> = {};
    for (const f of NUMERIC) features[f] = Math.round((r() * 2 - 1) * 1000) / 1000;
    features.country = COUNTRIES[Math.floor(r() * COUNTRIES.length)];
    features.device = DEVICES[Math.floor(r() * DEVICES.length)];
    const record = {
      schema: TELEMETRY_SCHEMA_ID,
      kind: 'prediction',
      modelId,
      modelVersion: 'v1',
      eventTime: new Date(t0 + i * 10).toISOString(),
      latencyMs: Math.round(r() * 900) / 10,
      outcome: r() < 0.003 ? 'error' : 'ok',
      interaction: 'realtime',
      features,
      ...(scored ? scoreOf(r()) : {}),
    };
    out.push({ key: modelId, value: JSON.stringify(record) });
  }
  return out;
}

function scoreOf(u: number): { score: number; predictedLabel: 0 | 1 } {
  const score = Math.round(u * 1000) / 1000;
  return { score, predictedLabel: score >= 0.5 ? 1 : 0 };
}

/**
 * Two records that open an accuracy incident: 250 labeled at 0.70, and a prediction 7 minutes
 * later whose event time carries the model's clock past the next 5-minute boundary plus the
 * allowed lateness — accuracy is judged there, in event time.
 */
export function breach(modelId: string, t: number): { key: string; value: string }[] {
  return [
    { key: modelId, value: JSON.stringify(quality(modelId, t - 300_000, t, 250, 175)) },
    { key: modelId, value: JSON.stringify(prediction(modelId, t + 7 * 60_000)) },
  ];
}
