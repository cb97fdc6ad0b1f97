import { isUtf8 } from 'node:buffer';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { TELEMETRY_KINDS, TELEMETRY_SCHEMAS } from './telemetry.schema';
import type {
  Calibration,
  FeatureHistogram,
  ScoreHistogram,
  TelemetryKind,
  TelemetryRecord,
} from './telemetry-record';

export type RejectionCode =
  | 'too-large'
  | 'invalid-utf8'
  | 'invalid-json'
  | 'not-an-object'
  | 'unknown-kind'
  | 'schema'
  | 'semantic'
  | 'key-mismatch'
  | 'event-time-in-future';

/** Why a record was refused: machine-readable code, the JSON pointer of the field, and a sentence. */
export interface Rejection {
  code: RejectionCode;
  field: string;
  message: string;
}

export type DecodeResult =
  { ok: true; record: TelemetryRecord; eventTimeMs: number } | { ok: false; rejection: Rejection };

/** The contract's date-time shape; whether the date exists is checked once, by Date.parse, after. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Compiled once: Ajv turns each kind's schema into straight-line JS, so validation costs about as
 * much as the JSON.parse before it. Semantic checks the schema language cannot express follow.
 */
export class TelemetryValidator {
  private readonly byKind: Record<TelemetryKind, ValidateFunction>;

  /**
   * `maxFutureSkewMs`: how far a record's eventTime may lie ahead of the clock passed to `decode`.
   * One record from a wrong clock would otherwise move its model's watermark ahead and make every
   * on-time record after it late.
   */
  constructor(
    private readonly maxRecordBytes = 256 * 1024,
    private readonly maxFutureSkewMs = Infinity,
  ) {
    const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
    ajv.addFormat('date-time', { type: 'string', validate: DATE_TIME });
    this.byKind = Object.fromEntries(
      TELEMETRY_KINDS.map((kind) => [kind, ajv.compile(TELEMETRY_SCHEMAS[kind])]),
    ) as Record<TelemetryKind, ValidateFunction>;
  }

  /**
   * Decodes and validates one Kafka message value; `key` must equal the record's modelId; with
   * `nowMs`, an eventTime more than `maxFutureSkewMs` ahead of it is refused (the past is not
   * bounded: replaying old telemetry is legitimate).
   */
  decode(value: Buffer | null, key?: Buffer | string | null, nowMs?: number): DecodeResult {
    if (value === null || value.length === 0) {
      return reject('invalid-json', '', 'the message has no value');
    }
    if (value.length > this.maxRecordBytes) {
      return reject(
        'too-large',
        '',
        `the record is ${value.length} bytes; the limit is ${this.maxRecordBytes}`,
      );
    }
    // isUtf8 is a SIMD scan; a fatal TextDecoder costs several times more per record.
    if (!isUtf8(value)) return reject('invalid-utf8', '', 'the value is not valid UTF-8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.toString('utf8'));
    } catch (error) {
      return reject('invalid-json', '', `the value is not JSON: ${(error as Error).message}`);
    }
    const result = this.validate(parsed);
    if (!result.ok) return result;
    if (key !== undefined && key !== null) {
      const keyText = typeof key === 'string' ? key : key.toString('utf8');
      if (keyText !== result.record.modelId) {
        return reject(
          'key-mismatch',
          '/modelId',
          `the message key "${truncate(keyText)}" differs from modelId "${result.record.modelId}"; the key must be the modelId so a model's records share one partition`,
        );
      }
    }
    if (nowMs !== undefined && result.eventTimeMs - nowMs > this.maxFutureSkewMs) {
      return reject(
        'event-time-in-future',
        '/eventTime',
        `eventTime ${result.record.eventTime} is ${Math.round((result.eventTimeMs - nowMs) / 1000)} s ahead of the receiving clock (${new Date(nowMs).toISOString()}); at most ${this.maxFutureSkewMs / 1000} s is accepted — check the producer's clock`,
      );
    }
    return result;
  }

  /** Validates an already-parsed value (the simulator and tests use this directly). */
  validate(value: unknown): DecodeResult {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return reject('not-an-object', '', 'a telemetry record must be a JSON object');
    }
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind !== 'string' || !(kind in this.byKind)) {
      return reject(
        'unknown-kind',
        '/kind',
        `kind must be one of ${TELEMETRY_KINDS.join(', ')}; got ${JSON.stringify(kind)?.slice(0, 40) ?? 'nothing'}`,
      );
    }
    const validateKind = this.byKind[kind as TelemetryKind];
    if (!validateKind(value)) {
      return { ok: false, rejection: describe(validateKind.errors?.[0]) };
    }
    const record = value as TelemetryRecord;
    const eventTimeMs = Date.parse(record.eventTime);
    if (Number.isNaN(eventTimeMs)) return reject('schema', '/eventTime', notADate('/eventTime'));
    const semantic = checkSemantics(record);
    if (semantic) return { ok: false, rejection: semantic };
    return { ok: true, record, eventTimeMs };
  }
}

function reject(code: RejectionCode, field: string, message: string): DecodeResult {
  return { ok: false, rejection: { code, field, message } };
}

function truncate(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

function describe(error: ErrorObject | undefined): Rejection {
  if (!error) return { code: 'schema', field: '', message: 'the record does not match the schema' };
  const field = error.instancePath;
  const params = error.params as Record<string, unknown>;
  let detail = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    return {
      code: 'schema',
      field: `${field}/${String(params.additionalProperty)}`,
      message: `unknown field "${String(params.additionalProperty)}" is not part of the contract`,
    };
  }
  if (error.keyword === 'required') {
    return {
      code: 'schema',
      field: `${field}/${String(params.missingProperty)}`,
      message: `required field "${String(params.missingProperty)}" is missing`,
    };
  }
  if (error.keyword === 'enum') detail += `: ${JSON.stringify(params.allowedValues)}`;
  if (error.keyword === 'const') detail += `: ${JSON.stringify(params.allowedValue)}`;
  return { code: 'schema', field, message: `${field || 'the record'} ${detail}` };
}

function checkHistogram(path: string, h: FeatureHistogram): Rejection | undefined {
  if (h.type !== 'numeric') return undefined;
  if (h.counts.length !== h.edges.length + 1) {
    return {
      code: 'semantic',
      field: `${path}/counts`,
      message: `counts must have edges.length + 1 = ${h.edges.length + 1} entries; got ${h.counts.length}`,
    };
  }
  for (let i = 1; i < h.edges.length; i++) {
    if (!(h.edges[i] > h.edges[i - 1])) {
      return {
        code: 'semantic',
        field: `${path}/edges/${i}`,
        message: 'edges must be strictly ascending',
      };
    }
  }
  return undefined;
}

function checkFeatureHistograms(features: Record<string, FeatureHistogram> | undefined) {
  if (!features) return undefined;
  for (const [name, h] of Object.entries(features)) {
    const problem = checkHistogram(`/features/${name}`, h);
    if (problem) return problem;
  }
  return undefined;
}

function semantic(field: string, message: string): Rejection {
  return { code: 'semantic', field, message };
}

function checkScoreEdges(path: string, edges: number[]): Rejection | undefined {
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1])) {
      return semantic(`${path}/edges/${i}`, 'score edges must be strictly ascending');
    }
  }
  return undefined;
}

function checkBinCount(path: string, name: string, edges: number[], bins: number[]) {
  if (bins.length === edges.length + 1) return undefined;
  return semantic(
    `${path}/${name}`,
    `${name} must have edges.length + 1 = ${edges.length + 1} bins (the last ends at 1); got ${bins.length}`,
  );
}

function checkScores(h: ScoreHistogram, count: number): Rejection | undefined {
  const problem =
    checkScoreEdges('/scores', h.edges) ??
    checkBinCount('/scores', 'predicted0', h.edges, h.predicted0) ??
    checkBinCount('/scores', 'predicted1', h.edges, h.predicted1);
  if (problem) return problem;
  let scored = 0;
  for (let i = 0; i < h.predicted0.length; i++) scored += h.predicted0[i] + h.predicted1[i];
  if (scored > count) {
    return semantic(
      '/scores',
      `the score histogram holds ${scored} predictions but the window's count is ${count}`,
    );
  }
  return undefined;
}

function checkCalibration(c: Calibration): Rejection | undefined {
  const problem =
    checkScoreEdges('/calibration', c.edges) ??
    checkBinCount('/calibration', 'counts', c.edges, c.counts) ??
    checkBinCount('/calibration', 'positives', c.edges, c.positives);
  if (problem) return problem;
  let total = 0;
  for (let i = 0; i < c.counts.length; i++) {
    if (c.positives[i] > c.counts[i]) {
      return semantic(
        `/calibration/positives/${i}`,
        `positives (${c.positives[i]}) exceed counts (${c.counts[i]}) in score bin ${i}`,
      );
    }
    total += c.counts[i];
  }
  if (total === 0) return semantic('/calibration/counts', 'the calibration holds no predictions');
  if (c.correct > total) {
    return semantic(
      '/calibration/correct',
      `correct (${c.correct}) exceeds the ${total} reference predictions the bins hold`,
    );
  }
  return undefined;
}

function checkSemantics(record: TelemetryRecord): Rejection | undefined {
  switch (record.kind) {
    case 'prediction':
      if ((record.score === undefined) !== (record.predictedLabel === undefined)) {
        return semantic(
          record.score === undefined ? '/score' : '/predictedLabel',
          'score and predictedLabel come together: the estimate needs both the probability and the label predicted from it',
        );
      }
      return undefined;
    case 'quality':
      if (record.correct > record.labeled) {
        return {
          code: 'semantic',
          field: '/correct',
          message: `correct (${record.correct}) exceeds labeled (${record.labeled})`,
        };
      }
      return checkWindowBounds(record.windowStart, record.windowEnd);
    case 'window': {
      const bounds = checkWindowBounds(record.windowStart, record.windowEnd);
      if (bounds) return bounds;
      if (record.errorCount > record.count) {
        return {
          code: 'semantic',
          field: '/errorCount',
          message: `errorCount (${record.errorCount}) exceeds count (${record.count})`,
        };
      }
      const { boundsMs, counts } = record.latency;
      if (counts.length !== boundsMs.length + 1) {
        return {
          code: 'semantic',
          field: '/latency/counts',
          message: `latency.counts must have boundsMs.length + 1 = ${boundsMs.length + 1} entries; got ${counts.length}`,
        };
      }
      for (let i = 1; i < boundsMs.length; i++) {
        if (!(boundsMs[i] > boundsMs[i - 1])) {
          return {
            code: 'semantic',
            field: `/latency/boundsMs/${i}`,
            message: 'boundsMs must be strictly ascending',
          };
        }
      }
      const total = counts.reduce((a, b) => a + b, 0);
      if (total !== record.count) {
        return {
          code: 'semantic',
          field: '/latency/counts',
          message: `latency.counts sum to ${total} but count is ${record.count}`,
        };
      }
      if (record.scores) {
        const problem = checkScores(record.scores, record.count);
        if (problem) return problem;
      }
      return checkFeatureHistograms(record.features);
    }
    case 'baseline':
      if (record.calibration) {
        const problem = checkCalibration(record.calibration);
        if (problem) return problem;
      } else if (Object.keys(record.features).length === 0) {
        return semantic(
          '/features',
          'a baseline needs at least one feature histogram or a calibration section',
        );
      }
      return checkFeatureHistograms(record.features);
  }
}

function notADate(field: string): string {
  return `${field} must match format "date-time" (no such date)`;
}

function checkWindowBounds(start: string, end: string): Rejection | undefined {
  const startMs = Date.parse(start);
  const endMs = Date.parse(end);
  if (Number.isNaN(startMs))
    return { code: 'schema', field: '/windowStart', message: notADate('/windowStart') };
  if (Number.isNaN(endMs))
    return { code: 'schema', field: '/windowEnd', message: notADate('/windowEnd') };
  if (endMs <= startMs) {
    return {
      code: 'semantic',
      field: '/windowEnd',
      message: 'windowEnd must be after windowStart',
    };
  }
  return undefined;
}
