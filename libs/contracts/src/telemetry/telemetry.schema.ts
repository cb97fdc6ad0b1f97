/**
 * JSON Schemas for telemetry v1, one per kind. They are the single definition that the ingestion
 * service compiles into its validator and that the simulator and tests validate against.
 */
const MODEL_ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,127}$';
const MAX_FEATURES = 64;
const MAX_BINS = 64;
const MAX_CATEGORIES = 256;
/** Score bins: enough for one bin per hundredth (101), as scores rounded to two decimals need. */
export const MAX_SCORE_BINS = 128;

const isoDateTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const count = { type: 'integer', minimum: 0, maximum: 1e12 } as const;

const base = {
  schema: { const: 'fulcrum.telemetry/v1' },
  kind: { type: 'string' },
  modelId: { type: 'string', pattern: MODEL_ID_PATTERN },
  modelVersion: { type: 'string', minLength: 1, maxLength: 64 },
  eventTime: isoDateTime,
} as const;
const baseRequired = ['schema', 'kind', 'modelId', 'modelVersion', 'eventTime'] as const;

const featureName = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^$.]+$' } as const;

const numericHistogram = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'edges', 'counts'],
  properties: {
    type: { const: 'numeric' },
    edges: { type: 'array', minItems: 1, maxItems: MAX_BINS - 1, items: { type: 'number' } },
    counts: { type: 'array', minItems: 2, maxItems: MAX_BINS, items: count },
  },
} as const;

const categoricalHistogram = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'counts'],
  properties: {
    type: { const: 'categorical' },
    counts: {
      type: 'object',
      minProperties: 1,
      maxProperties: MAX_CATEGORIES,
      propertyNames: { maxLength: 128 },
      additionalProperties: count,
    },
  },
} as const;

const featureHistograms = {
  type: 'object',
  maxProperties: MAX_FEATURES,
  propertyNames: featureName,
  additionalProperties: {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: ['numeric', 'categorical'] } },
    if: { properties: { type: { const: 'numeric' } } },
    then: numericHistogram,
    else: categoricalHistogram,
  },
} as const;

const probability = { type: 'number', minimum: 0, maximum: 1 } as const;
const scoreEdges = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_SCORE_BINS - 1,
  items: probability,
} as const;
const scoreCounts = { type: 'array', minItems: 2, maxItems: MAX_SCORE_BINS, items: count } as const;

const scoreHistogram = {
  type: 'object',
  additionalProperties: false,
  required: ['edges', 'predicted0', 'predicted1'],
  properties: { edges: scoreEdges, predicted0: scoreCounts, predicted1: scoreCounts },
} as const;

const calibration = {
  type: 'object',
  additionalProperties: false,
  required: ['edges', 'counts', 'positives', 'correct'],
  properties: { edges: scoreEdges, counts: scoreCounts, positives: scoreCounts, correct: count },
} as const;

export const TELEMETRY_SCHEMAS = {
  prediction: {
    $id: 'fulcrum.telemetry/v1/prediction',
    type: 'object',
    additionalProperties: false,
    required: [...baseRequired, 'latencyMs', 'outcome', 'interaction'],
    properties: {
      ...base,
      latencyMs: { type: 'number', minimum: 0, maximum: 86400000 },
      outcome: { enum: ['ok', 'error'] },
      interaction: { enum: ['realtime', 'batch'] },
      predictionId: { type: 'string', maxLength: 128 },
      score: probability,
      predictedLabel: { enum: [0, 1] },
      features: {
        type: 'object',
        maxProperties: MAX_FEATURES,
        propertyNames: featureName,
        // Booleans are categorical values ("true" / "false"): feature stores emit them as JSON booleans.
        additionalProperties: { type: ['number', 'string', 'boolean', 'null'], maxLength: 128 },
      },
    },
  },
  window: {
    $id: 'fulcrum.telemetry/v1/window',
    type: 'object',
    additionalProperties: false,
    required: [
      ...baseRequired,
      'windowStart',
      'windowEnd',
      'interaction',
      'count',
      'errorCount',
      'latency',
    ],
    properties: {
      ...base,
      windowStart: isoDateTime,
      windowEnd: isoDateTime,
      interaction: { enum: ['realtime', 'batch'] },
      count,
      errorCount: count,
      latency: {
        type: 'object',
        additionalProperties: false,
        required: ['boundsMs', 'counts'],
        properties: {
          boundsMs: {
            type: 'array',
            minItems: 1,
            maxItems: MAX_BINS - 1,
            items: { type: 'number', minimum: 0 },
          },
          counts: { type: 'array', minItems: 2, maxItems: MAX_BINS, items: count },
        },
      },
      features: featureHistograms,
      scores: scoreHistogram,
    },
  },
  quality: {
    $id: 'fulcrum.telemetry/v1/quality',
    type: 'object',
    additionalProperties: false,
    required: [...baseRequired, 'windowStart', 'windowEnd', 'labeled', 'correct'],
    properties: {
      ...base,
      windowStart: isoDateTime,
      windowEnd: isoDateTime,
      labeled: count,
      correct: count,
    },
  },
  baseline: {
    $id: 'fulcrum.telemetry/v1/baseline',
    type: 'object',
    additionalProperties: false,
    required: [...baseRequired, 'features'],
    // A baseline brings feature bins, a calibration, or both (checked after the schema).
    properties: { ...base, features: featureHistograms, calibration },
  },
} as const;

export const TELEMETRY_KINDS = Object.keys(TELEMETRY_SCHEMAS) as (keyof typeof TELEMETRY_SCHEMAS)[];
