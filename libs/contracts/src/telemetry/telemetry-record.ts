/** Telemetry contract v1: what ML platforms produce to the telemetry topic (key = modelId). */
export const TELEMETRY_SCHEMA_ID = 'fulcrum.telemetry/v1';

export type TelemetryKind = 'prediction' | 'window' | 'quality' | 'baseline';
export type Interaction = 'realtime' | 'batch';
/** A boolean is a categorical value, counted as the category "true" or "false". */
export type FeatureValue = number | string | boolean | null;

interface TelemetryBase {
  schema: typeof TELEMETRY_SCHEMA_ID;
  kind: TelemetryKind;
  modelId: string;
  modelVersion: string;
  /** ISO-8601 event time: when it happened at the model, not when it reached Kafka. */
  eventTime: string;
}

export interface PredictionRecord extends TelemetryBase {
  kind: 'prediction';
  latencyMs: number;
  outcome: 'ok' | 'error';
  interaction: Interaction;
  features?: Record<string, FeatureValue>;
  predictionId?: string;
}

/**
 * A histogram: `edges` are ascending upper bounds of every bin but the last, which is open
 * (`counts.length === edges.length + 1`), as in a Prometheus histogram.
 */
export interface NumericHistogram {
  type: 'numeric';
  edges: number[];
  counts: number[];
}

export interface CategoricalHistogram {
  type: 'categorical';
  counts: Record<string, number>;
}

export type FeatureHistogram = NumericHistogram | CategoricalHistogram;

export interface WindowRecord extends TelemetryBase {
  kind: 'window';
  windowStart: string;
  windowEnd: string;
  interaction: Interaction;
  count: number;
  errorCount: number;
  latency: { boundsMs: number[]; counts: number[] };
  features?: Record<string, FeatureHistogram>;
}

export interface QualityRecord extends TelemetryBase {
  kind: 'quality';
  windowStart: string;
  windowEnd: string;
  labeled: number;
  correct: number;
}

export interface BaselineRecord extends TelemetryBase {
  kind: 'baseline';
  features: Record<string, FeatureHistogram>;
}

export type TelemetryRecord = PredictionRecord | WindowRecord | QualityRecord | BaselineRecord;
