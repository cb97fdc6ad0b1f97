import Ajv, { type ValidateFunction } from 'ajv';
import { RULES, TRANSITIONS, type ReliabilityEvent } from './reliability-event';

const uuid = {
  type: 'string',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
} as const;
const time = { type: 'string', minLength: 20, maxLength: 40 } as const;

export const RELIABILITY_EVENT_SCHEMA = {
  $id: 'fulcrum.reliability/v1',
  type: 'object',
  additionalProperties: false,
  required: [
    'schema',
    'eventId',
    'type',
    'incidentId',
    'modelId',
    'modelVersion',
    'rule',
    'severity',
    'observed',
    'threshold',
    'window',
    'evidence',
    'eventTime',
    'emittedAt',
  ],
  properties: {
    schema: { const: 'fulcrum.reliability/v1' },
    eventId: uuid,
    type: { enum: RULES.flatMap((r) => TRANSITIONS.map((t) => `${r}.${t}`)) },
    incidentId: uuid,
    modelId: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,127}$' },
    modelVersion: { type: 'string', minLength: 1, maxLength: 64 },
    rule: { enum: [...RULES] },
    severity: { enum: ['warning', 'critical'] },
    observed: { type: 'number' },
    threshold: { type: 'number' },
    window: {
      type: 'object',
      additionalProperties: false,
      required: ['start', 'end'],
      properties: { start: time, end: time },
    },
    evidence: { type: 'object' },
    eventTime: time,
    emittedAt: time,
  },
} as const;

const validateFn: ValidateFunction = new Ajv({ allErrors: false, strict: false }).compile(
  RELIABILITY_EVENT_SCHEMA,
);

export type ParseReliabilityResult =
  { ok: true; event: ReliabilityEvent } | { ok: false; reason: string };

/** Validates a decoded reliability event; the reason names the first offending field. */
export function parseReliabilityEvent(value: unknown): ParseReliabilityResult {
  if (!validateFn(value)) {
    const e = validateFn.errors?.[0];
    return { ok: false, reason: `${e?.instancePath || 'event'} ${e?.message ?? 'is invalid'}` };
  }
  const event = value as ReliabilityEvent;
  if (!event.type.startsWith(`${event.rule}.`)) {
    return { ok: false, reason: `/type ${event.type} does not belong to rule ${event.rule}` };
  }
  return { ok: true, event };
}
