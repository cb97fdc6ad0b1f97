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
  /**
   * A binary classifier's probability of the positive class, 0–1, with the label it predicted:
   * what accuracy is estimated from before ground truth arrives. Sent together or not at all.
   */
  score?: number;
  predictedLabel?: 0 | 1;
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

/**
 * A window's scores: predictions per score bin, by the label predicted. `edges` are ascending
 * inclusive upper bounds of every bin but the last, which ends at 1 (`predicted0.length ===
 * predicted1.length === edges.length + 1`). For an exact estimate use the edges of the model's
 * calibration; other edges are read at each bin's upper edge.
 */
export interface ScoreHistogram {
  edges: number[];
  predicted0: number[];
  predicted1: number[];
}

/**
 * How the model's scores relate to outcomes on labeled reference data, per score bin (edges as in
 * ScoreHistogram): predictions in each bin and how many of them were truly positive, and how many
 * reference predictions were right overall (the reference accuracy, which sets the estimate's
 * sampling error).
 */
export interface Calibration {
  edges: number[];
  counts: number[];
  positives: number[];
  correct: number;
}

export interface WindowRecord extends TelemetryBase {
  kind: 'window';
  windowStart: string;
  windowEnd: string;
  interaction: Interaction;
  count: number;
  errorCount: number;
  latency: { boundsMs: number[]; counts: number[] };
  features?: Record<string, FeatureHistogram>;
  scores?: ScoreHistogram;
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
  /** May be empty when the baseline only brings a calibration. */
  features: Record<string, FeatureHistogram>;
  calibration?: Calibration;
}

export type TelemetryRecord = PredictionRecord | WindowRecord | QualityRecord | BaselineRecord;
