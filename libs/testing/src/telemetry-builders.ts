import {
  TELEMETRY_SCHEMA_ID,
  type FeatureHistogram,
  type Interaction,
  type PredictionRecord,
  type QualityRecord,
  type WindowRecord,
  type BaselineRecord,
  type Calibration,
  type FeatureValue,
  type ScoreHistogram,
} from '@fulcrum/contracts';

/** Builders for telemetry v1 records, shared by the simulator, the tests and the benchmarks. */
const iso = (t: number) => new Date(t).toISOString();

export function prediction(
  modelId: string,
  t: number,
  p: {
    latencyMs?: number;
    outcome?: 'ok' | 'error';
    interaction?: Interaction;
    features?: Record<string, FeatureValue>;
    modelVersion?: string;
    score?: number;
    predictedLabel?: 0 | 1;
  } = {},
): PredictionRecord {
  return {
    schema: TELEMETRY_SCHEMA_ID,
    kind: 'prediction',
    modelId,
    modelVersion: p.modelVersion ?? 'v1',
    eventTime: iso(t),
    latencyMs: p.latencyMs ?? 40,
    outcome: p.outcome ?? 'ok',
    interaction: p.interaction ?? 'realtime',
    ...(p.features ? { features: p.features } : {}),
    ...(p.score !== undefined ? { score: p.score, predictedLabel: p.predictedLabel ?? 1 } : {}),
  };
}

export function quality(
  modelId: string,
  start: number,
  end: number,
  labeled: number,
  correct: number,
  modelVersion = 'v1',
): QualityRecord {
  return {
    schema: TELEMETRY_SCHEMA_ID,
    kind: 'quality',
    modelId,
    modelVersion,
    eventTime: iso(end),
    windowStart: iso(start),
    windowEnd: iso(end),
    labeled,
    correct,
  };
}

/** A pre-aggregated window; `slow` requests land above every bound, the rest in the first bin. */
export function window(
  modelId: string,
  start: number,
  end: number,
  p: {
    count: number;
    errors?: number;
    slow?: number;
    interaction?: Interaction;
    features?: Record<string, FeatureHistogram>;
    modelVersion?: string;
    scores?: ScoreHistogram;
  },
): WindowRecord {
  const slow = p.slow ?? 0;
  return {
    schema: TELEMETRY_SCHEMA_ID,
    kind: 'window',
    modelId,
    modelVersion: p.modelVersion ?? 'v1',
    eventTime: iso(end - 1),
    windowStart: iso(start),
    windowEnd: iso(end),
    interaction: p.interaction ?? 'realtime',
    count: p.count,
    errorCount: p.errors ?? 0,
    latency: { boundsMs: [50, 100, 250, 500, 1000], counts: [p.count - slow, 0, 0, 0, 0, slow] },
    ...(p.features ? { features: p.features } : {}),
    ...(p.scores ? { scores: p.scores } : {}),
  };
}

export function baseline(
  modelId: string,
  t: number,
  features: Record<string, FeatureHistogram>,
  modelVersion = 'v1',
  calibration?: Calibration,
): BaselineRecord {
  return {
    schema: TELEMETRY_SCHEMA_ID,
    kind: 'baseline',
    modelId,
    modelVersion,
    eventTime: iso(t),
    features,
    ...(calibration ? { calibration } : {}),
  };
}
