import Ajv, { type ValidateFunction } from 'ajv';
import { RULES, type RuleName, type Severity } from '../reliability/reliability-event';

/**
 * Model status v1: what metrics-ingestion knows about one model at a 5-minute event-time boundary,
 * emitted when anything in it changed (key = modelId, compacted topic). Deterministic on replay:
 * every field derives from event time and the telemetry, none from the processing clock.
 */
export const MODEL_STATUS_SCHEMA_ID = 'fulcrum.model-status/v1';

export type ReferenceSource = 'baseline' | 'first-predictions' | 'building' | 'none';

export interface ModelStatus {
  schema: typeof MODEL_STATUS_SCHEMA_ID;
  modelId: string;
  modelVersion: string;
  /** Event time the current model version was first seen. */
  versionFirstSeenAt: string;
  /** The boundary this status describes (event time). */
  at: string;
  /** The last hour before `at`. */
  lastHour: {
    requests: { realtime: number; batch: number };
    /** Bad ratios over the hour's requests (0 when there were none). */
    errorRatio: number;
    slowRatio: number;
  };
  /** Accuracy of the newest quality windows known at `at` holding ≥ the minimum labeled. */
  accuracy: { value: number; labeled: number; labelLagSeconds: number } | null;
  /**
   * Accuracy estimated from the scores of the newest predictions before `at` (no labels needed),
   * with ±3 standard errors; null without a calibration or enough scored predictions. `error` is
   * the mean of (estimate − realized accuracy) over the last day's labelled windows (`windows` of them):
   * far from 0, the relation between scores and outcomes has changed and the estimate cannot be
   * trusted. Optional only because statuses written before it carry none.
   */
  estimatedAccuracy?: EstimatedAccuracyStatus | null;
  drift: { maxScore: number; driftingFeatures: string[] };
  openIncidents: { incidentId: string; rule: RuleName; severity: Severity }[];
  coverage: {
    referenceSource: ReferenceSource;
    featuresSeen: number;
    featuresWithReference: number;
    /** Event times the model last sent labels (quality), latency (prediction / window) and anything. */
    lastLabelsAt: string | null;
    lastLatencyAt: string | null;
    lastRecordAt: string;
  };
  /**
   * The lines ingestion judged this model by (its rules file's values, per model): accuracy below
   * which it opens an incident, the error and slow ratios the SLO objectives allow, the drift score
   * at which a numeric feature drifts. Optional only because statuses written before it carry none;
   * a reader then falls back to DEFAULT_STATUS_THRESHOLDS, the rules' defaults.
   */
  thresholds?: StatusThresholds;
}

export interface EstimatedAccuracyStatus {
  value: number;
  lower: number;
  upper: number;
  predictions: number;
  window: { start: string; end: string };
  error: { mean: number; windows: number } | null;
}

export interface StatusThresholds {
  /** Accuracy below this opens an accuracy incident (warning). */
  accuracy: number;
  /** Accuracy below this makes it critical. */
  accuracyCritical: number;
  /** 1 − availability objective: the error ratio the error budget allows. */
  errorRatio: number;
  /** 1 − latency objective: the share of requests allowed over their latency target. */
  slowRatio: number;
  /** PSI at which a numeric feature drifts. */
  drift: number;
}

/** The rules' defaults, for statuses that predate `thresholds`. */
export const DEFAULT_STATUS_THRESHOLDS: StatusThresholds = {
  accuracy: 0.85,
  accuracyCritical: 0.8,
  errorRatio: 0.005,
  slowRatio: 0.05,
  drift: 0.1,
};

/** The thresholds a status was judged by (its own, or the defaults when it predates them). */
export function statusThresholds(status: Pick<ModelStatus, 'thresholds'> | null | undefined) {
  return status?.thresholds ?? DEFAULT_STATUS_THRESHOLDS;
}

const time = { type: 'string', minLength: 20, maxLength: 40 } as const;
const nullableTime = { anyOf: [time, { type: 'null' }] } as const;
const ratio = { type: 'number', minimum: 0, maximum: 1 } as const;
const count = { type: 'number', minimum: 0 } as const;

export const MODEL_STATUS_SCHEMA = {
  $id: MODEL_STATUS_SCHEMA_ID,
  type: 'object',
  additionalProperties: false,
  required: [
    'schema',
    'modelId',
    'modelVersion',
    'versionFirstSeenAt',
    'at',
    'lastHour',
    'accuracy',
    'drift',
    'openIncidents',
    'coverage',
  ],
  properties: {
    schema: { const: MODEL_STATUS_SCHEMA_ID },
    modelId: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,127}$' },
    modelVersion: { type: 'string', minLength: 1, maxLength: 128 },
    versionFirstSeenAt: time,
    at: time,
    lastHour: {
      type: 'object',
      additionalProperties: false,
      required: ['requests', 'errorRatio', 'slowRatio'],
      properties: {
        requests: {
          type: 'object',
          additionalProperties: false,
          required: ['realtime', 'batch'],
          properties: { realtime: count, batch: count },
        },
        errorRatio: ratio,
        slowRatio: ratio,
      },
    },
    accuracy: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['value', 'labeled', 'labelLagSeconds'],
          properties: { value: ratio, labeled: count, labelLagSeconds: { type: 'number' } },
        },
      ],
    },
    estimatedAccuracy: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['value', 'lower', 'upper', 'predictions', 'window', 'error'],
          properties: {
            value: ratio,
            lower: ratio,
            upper: ratio,
            predictions: count,
            window: {
              type: 'object',
              additionalProperties: false,
              required: ['start', 'end'],
              properties: { start: time, end: time },
            },
            error: {
              anyOf: [
                { type: 'null' },
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['mean', 'windows'],
                  properties: { mean: { type: 'number', minimum: -1, maximum: 1 }, windows: count },
                },
              ],
            },
          },
        },
      ],
    },
    drift: {
      type: 'object',
      additionalProperties: false,
      required: ['maxScore', 'driftingFeatures'],
      properties: {
        maxScore: count,
        driftingFeatures: { type: 'array', maxItems: 64, items: { type: 'string' } },
      },
    },
    openIncidents: {
      type: 'array',
      maxItems: RULES.length,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['incidentId', 'rule', 'severity'],
        properties: {
          incidentId: { type: 'string' },
          rule: { enum: [...RULES] },
          severity: { enum: ['warning', 'critical'] },
        },
      },
    },
    coverage: {
      type: 'object',
      additionalProperties: false,
      required: [
        'referenceSource',
        'featuresSeen',
        'featuresWithReference',
        'lastLabelsAt',
        'lastLatencyAt',
        'lastRecordAt',
      ],
      properties: {
        referenceSource: { enum: ['baseline', 'first-predictions', 'building', 'none'] },
        featuresSeen: count,
        featuresWithReference: count,
        lastLabelsAt: nullableTime,
        lastLatencyAt: nullableTime,
        lastRecordAt: time,
      },
    },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      required: ['accuracy', 'accuracyCritical', 'errorRatio', 'slowRatio', 'drift'],
      properties: {
        accuracy: ratio,
        accuracyCritical: ratio,
        errorRatio: ratio,
        slowRatio: ratio,
        drift: count,
      },
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

/** Validates a model-status record (the backlog's intake uses it; tests check what is emitted). */
export function parseModelStatus(
  value: unknown,
): { ok: true; status: ModelStatus } | { ok: false; reason: string } {
  compiled ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(
    MODEL_STATUS_SCHEMA,
  );
  if (compiled(value)) return { ok: true, status: value as ModelStatus };
  const e = compiled.errors?.[0];
  return { ok: false, reason: `${e?.instancePath || '/'} ${e?.message ?? 'is invalid'}` };
}
