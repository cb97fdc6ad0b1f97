import { TelemetryValidator, type DecodeResult } from './telemetry-validator';

const validator = new TelemetryValidator(4096);

const prediction = {
  schema: 'fulcrum.telemetry/v1',
  kind: 'prediction',
  modelId: 'fraud-scorer',
  modelVersion: 'v1',
  eventTime: '2026-03-01T10:00:00.250Z',
  latencyMs: 42,
  outcome: 'ok',
  interaction: 'realtime',
  features: { amount: 12.5, country: 'DE', missing: null },
};

const quality = {
  schema: 'fulcrum.telemetry/v1',
  kind: 'quality',
  modelId: 'fraud-scorer',
  modelVersion: 'v1',
  eventTime: '2026-03-01T11:00:00Z',
  windowStart: '2026-03-01T10:00:00Z',
  windowEnd: '2026-03-01T11:00:00Z',
  labeled: 100,
  correct: 90,
};

const bytes = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const rejection = (r: DecodeResult) => (r.ok ? undefined : r.rejection);

describe('TelemetryValidator.decode', () => {
  it('accepts a valid record and parses its event time once', () => {
    const r = validator.decode(bytes(prediction), 'fraud-scorer');
    expect(r).toEqual({
      ok: true,
      record: prediction,
      eventTimeMs: Date.UTC(2026, 2, 1, 10, 0, 0, 250),
    });
  });

  it('accepts boolean feature values (categorical "true" / "false")', () => {
    const withFlag = { ...prediction, features: { ...prediction.features, is_new_device: true } };
    expect(validator.decode(bytes(withFlag), 'fraud-scorer')).toMatchObject({ ok: true });
  });

  it.each([
    ['an empty value', Buffer.alloc(0), 'invalid-json', ''],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), 'invalid-utf8', ''],
    ['text that is not JSON', bytes('{"kind":'), 'invalid-json', ''],
    ['an array', bytes('[1,2]'), 'not-an-object', ''],
    ['an unknown kind', bytes({ ...prediction, kind: 'click' }), 'unknown-kind', '/kind'],
    ['a missing field', bytes({ ...prediction, latencyMs: undefined }), 'schema', '/latencyMs'],
    ['an extra field', bytes({ ...prediction, extra: 1 }), 'schema', '/extra'],
    ['a wrong type', bytes({ ...prediction, latencyMs: '42' }), 'schema', '/latencyMs'],
    ['a malformed time', bytes({ ...prediction, eventTime: 'yesterday' }), 'schema', '/eventTime'],
    [
      'a well-formed time that is no date',
      bytes({ ...prediction, eventTime: '2026-13-01T00:00:00Z' }),
      'schema',
      '/eventTime',
    ],
    [
      'a window start that is no date',
      bytes({ ...quality, windowStart: '2026-02-31T25:00:00Z' }),
      'schema',
      '/windowStart',
    ],
    ['more correct than labeled', bytes({ ...quality, correct: 101 }), 'semantic', '/correct'],
    [
      'a window that ends before it starts',
      bytes({ ...quality, windowEnd: '2026-03-01T09:00:00Z' }),
      'semantic',
      '/windowEnd',
    ],
    ['a record over the size limit', Buffer.alloc(5000, 0x20), 'too-large', ''],
  ])('refuses %s with a specific code and field', (_what, value, code, field) => {
    const r = rejection(validator.decode(value, 'fraud-scorer'));
    expect(r).toMatchObject({ code, field });
    expect(r?.message.length).toBeGreaterThan(10);
  });

  it('refuses a record whose key is not its modelId (its partition would be wrong)', () => {
    expect(rejection(validator.decode(bytes(prediction), 'other-model'))).toMatchObject({
      code: 'key-mismatch',
      field: '/modelId',
    });
  });
});

describe('TelemetryValidator: scores and calibration', () => {
  const scored = { ...prediction, score: 0.91, predictedLabel: 1 };
  const window = {
    schema: 'fulcrum.telemetry/v1',
    kind: 'window',
    modelId: 'fraud-scorer',
    modelVersion: 'v1',
    eventTime: '2026-03-01T10:05:00Z',
    windowStart: '2026-03-01T10:00:00Z',
    windowEnd: '2026-03-01T10:05:00Z',
    interaction: 'batch',
    count: 10,
    errorCount: 0,
    latency: { boundsMs: [100], counts: [10, 0] },
    scores: { edges: [0.5], predicted0: [6, 0], predicted1: [1, 3] },
  };
  const baseline = {
    schema: 'fulcrum.telemetry/v1',
    kind: 'baseline',
    modelId: 'fraud-scorer',
    modelVersion: 'v1',
    eventTime: '2026-03-01T00:00:00Z',
    features: {},
    calibration: {
      edges: [0.25, 0.5, 0.75],
      counts: [40, 10, 10, 40],
      positives: [2, 3, 7, 38],
      correct: 88,
    },
  };
  const ok = (v: unknown) => validator.decode(bytes(v), 'fraud-scorer').ok;

  it('accepts a scored prediction, a window with scores and a calibration-only baseline', () => {
    expect(ok(scored)).toBe(true);
    expect(ok(window)).toBe(true);
    expect(ok(baseline)).toBe(true);
  });

  it.each([
    ['a score above 1', { ...scored, score: 1.2 }, 'schema', '/score', /<= 1/],
    ['a score below 0', { ...scored, score: -0.1 }, 'schema', '/score', />= 0/],
    [
      'a predicted label of 2',
      { ...scored, predictedLabel: 2 },
      'schema',
      '/predictedLabel',
      /0,1/,
    ],
    [
      'a score without its label',
      { ...prediction, score: 0.4 },
      'semantic',
      '/predictedLabel',
      /together/,
    ],
    [
      'a label without its score',
      { ...prediction, predictedLabel: 0 },
      'semantic',
      '/score',
      /together/,
    ],
    [
      'window score bins that do not match the edges',
      { ...window, scores: { ...window.scores, predicted1: [1, 3, 0] } },
      'semantic',
      '/scores/predicted1',
      /edges.length \+ 1 = 2/,
    ],
    [
      'more scored predictions than the window counted',
      { ...window, scores: { ...window.scores, predicted0: [9, 0] } },
      'semantic',
      '/scores',
      /13 predictions .* count is 10/,
    ],
    [
      'score edges out of order',
      { ...baseline, calibration: { ...baseline.calibration, edges: [0.25, 0.75, 0.5] } },
      'semantic',
      '/calibration/edges/2',
      /ascending/,
    ],
    [
      'calibration bins that do not match the edges',
      { ...baseline, calibration: { ...baseline.calibration, positives: [2, 3, 7] } },
      'semantic',
      '/calibration/positives',
      /edges.length \+ 1 = 4/,
    ],
    [
      'more positives than predictions in a bin',
      { ...baseline, calibration: { ...baseline.calibration, positives: [2, 11, 7, 38] } },
      'semantic',
      '/calibration/positives/1',
      /positives \(11\) exceed counts \(10\) in score bin 1/,
    ],
    [
      'more correct than reference predictions',
      { ...baseline, calibration: { ...baseline.calibration, correct: 101 } },
      'semantic',
      '/calibration/correct',
      /exceeds the 100/,
    ],
    [
      'a baseline with neither features nor calibration',
      { ...baseline, calibration: undefined },
      'semantic',
      '/features',
      /at least one feature histogram or a calibration/,
    ],
  ])('refuses %s, saying which field and why', (_what, value, code, field, message) => {
    const r = rejection(validator.decode(bytes(value), 'fraud-scorer'));
    expect(r).toMatchObject({ code, field });
    expect(r?.message).toMatch(message);
  });
});
