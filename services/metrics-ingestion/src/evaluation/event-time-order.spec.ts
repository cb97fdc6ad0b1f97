import {
  TelemetryValidator,
  type ModelStatus,
  type ReliabilityEvent,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import { prediction, quality, window } from '@fulcrum/testing';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../settings/rule-settings';
import { clockAt, evaluate } from './model-evaluator';
import { ModelState } from '../model-state/model-state';

/**
 * Event time means a record's place in time, not its arrival, decides what it does: any arrival
 * order in which no record trails the watermark by more than the allowed lateness must give the
 * same events — the same ids and the same values.
 */
const validator = new TelemetryValidator();
const NOW = Date.UTC(2026, 5, 1);
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5, 10, 0);

function run(records: TelemetryRecord[], settings: RuleSettings = DEFAULT_RULE_SETTINGS) {
  const state = new ModelState(records[0].modelId);
  const events: ReliabilityEvent[] = [];
  const statuses: ModelStatus[] = [];
  for (const r of records) {
    const d = validator.validate(r);
    if (!d.ok) throw new Error(d.rejection.message);
    const outcome = evaluate(state, d, settings, clockAt(NOW));
    events.push(...outcome.events);
    statuses.push(...outcome.statuses);
    if (outcome.late) throw new Error('a shuffle within the lateness dropped a record');
  }
  return { events: events.map(({ emittedAt: _e, ...rest }) => rest), statuses, state };
}

/** Arrival order: each record delayed by a random amount under the lateness, then sorted. */
function shuffledWithinLateness(records: TelemetryRecord[], seed: number): TelemetryRecord[] {
  let x = seed;
  const random = () => (x = (x * 48271) % 2147483647) / 2147483647;
  const lateness = DEFAULT_RULE_SETTINGS.allowedLatenessMs;
  return records
    .map((r) => ({ r, at: Date.parse(r.eventTime) + random() * (lateness - 1) }))
    .sort((a, b) => a.at - b.at)
    .map(({ r }) => r);
}

const byTime = (records: TelemetryRecord[]) =>
  [...records].sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));

/** Traffic that moves the event-time clock without deciding anything by itself. */
function ticks(modelId: string, from: number, to: number, every = MINUTE): TelemetryRecord[] {
  const out: TelemetryRecord[] = [];
  for (let t = from; t < to; t += every) out.push(prediction(modelId, t));
  return out;
}

describe('event-time order independence', () => {
  it('accuracy: the two overlapping quality windows give the same events in either order', () => {
    // [10:00, 10:05) at 0.80 and [10:01, 10:06) at 0.95: both are known by the first boundary
    // that can see either (10:10), and the more recent one decides.
    const low = quality('m', T0, T0 + 5 * MINUTE, 300, 240);
    const high = quality('m', T0 + MINUTE, T0 + 6 * MINUTE, 300, 285);
    const clock = ticks('m', T0 + 6 * MINUTE + 1, T0 + 20 * MINUTE);
    const inOrder = run([low, high, ...clock]).events;
    expect(run([high, low, ...clock]).events).toEqual(inOrder);
    expect(inOrder).toEqual([]);
  });

  it('accuracy: a low window reported before a boundary opens an incident in either order', () => {
    // [10:00, 10:04) at 0.80 is known at the 10:05 boundary; [10:01, 10:06) at 0.95 only at 10:10.
    const low = quality('m', T0, T0 + 4 * MINUTE, 300, 240);
    const high = quality('m', T0 + MINUTE, T0 + 6 * MINUTE, 300, 285);
    const clock = ticks('m', T0 + 6 * MINUTE + 1, T0 + 20 * MINUTE);
    const inOrder = run([low, high, ...clock]).events;
    expect(inOrder.map((e) => `${e.type}:${e.severity}:${e.observed}:${e.eventTime}`)).toEqual([
      'accuracy.opened:warning:0.8:2026-01-05T10:05:00.000Z',
    ]);
    expect(run([high, low, ...clock]).events).toEqual(inOrder);
  });

  it('status: a new version first seen at its earliest record, whichever of two arrives first', () => {
    // v2's first two records (quality, 10:05 and 10:06) swapped within the lateness.
    const before = ticks('m', T0, T0 + 5 * MINUTE);
    const a = { ...quality('m', T0, T0 + 5 * MINUTE, 200, 190, 'v2') };
    const b = {
      ...quality('m', T0 + MINUTE, T0 + 6 * MINUTE, 200, 190, 'v2'),
      eventTime: new Date(T0 + 6 * MINUTE).toISOString(),
    };
    const after = ticks('m', T0 + 6 * MINUTE + 1, T0 + 20 * MINUTE).map((r) => ({
      ...r,
      modelVersion: 'v2',
    }));
    const inOrder = run([...before, a, b, ...after]).statuses;
    const swapped = run([...before, b, a, ...after]).statuses;
    expect(swapped).toEqual(inOrder);
    const v2 = inOrder.find((st) => st.modelVersion === 'v2')!;
    expect(v2.versionFirstSeenAt).toBe('2026-01-05T10:05:00.000Z');
  });

  it('status: every fact of every status is the same for random arrival orders within the lateness', () => {
    const records: TelemetryRecord[] = [];
    for (let i = 0; i < 36; i++) {
      const start = T0 + i * 5 * MINUTE;
      const version = i < 18 ? 'v1' : 'v2';
      records.push({
        ...window('m', start, start + 5 * MINUTE, { count: 500, errors: i % 7, slow: i % 5 }),
        modelVersion: version,
      });
      records.push(
        quality('m', start - 10 * MINUTE, start - 5 * MINUTE, 250, 200 + (i % 40), version),
      );
      for (let k = 0; k < 10; k++)
        records.push({
          ...prediction('m', start + k * 29_000 + 7, {
            features: i < 12 ? { amount: k } : { amount: k, country: 'DE' },
          }),
          modelVersion: version,
        });
    }
    const expected = run(byTime(records));
    expect(expected.statuses.length).toBeGreaterThan(20);
    expect(new Set(expected.statuses.map((st) => st.modelVersion))).toEqual(new Set(['v1', 'v2']));
    for (let seed = 1; seed <= 20; seed++) {
      const shuffled = run(shuffledWithinLateness(records, seed));
      expect(shuffled.statuses).toEqual(expected.statuses);
      expect(shuffled.events).toEqual(expected.events);
    }
  });

  it('accuracy: random arrival orders within the lateness give identical events', () => {
    const records: TelemetryRecord[] = [];
    for (let i = 0; i < 24; i++) {
      const start = T0 + i * 5 * MINUTE;
      // .93 .83 .70 .90: 0.70 on 300 labels is below 0.80 with 99 % confidence, so it escalates
      const correct = i < 6 ? 280 : i < 12 ? 250 : i < 18 ? 210 : 270;
      records.push(quality('m', start, start + 5 * MINUTE, 300, correct));
      records.push(quality('m', start + MINUTE, start + 6 * MINUTE, 100, Math.round(correct / 3)));
    }
    records.push(...ticks('m', T0, T0 + 4 * 60 * MINUTE, 30_000));
    const expected = run(byTime(records)).events;
    expect(expected.map((e) => e.type)).toEqual([
      'accuracy.opened',
      'accuracy.updated',
      'accuracy.resolved',
    ]);
    for (let seed = 1; seed <= 20; seed++)
      expect(run(shuffledWithinLateness(records, seed)).events).toEqual(expected);
  });

  it('drift: a first-N reference is the N earliest predictions whatever their arrival order', () => {
    const settings: RuleSettings = {
      ...DEFAULT_RULE_SETTINGS,
      drift: { ...DEFAULT_RULE_SETTINGS.drift, referenceSize: 300, minObservations: 300 },
    };
    const records: TelemetryRecord[] = [];
    // 2 s apart for 5 hours; the score drifts upwards from the third hour.
    for (let i = 0; i < 9000; i++) {
      const t = T0 + i * 2000;
      const shift = t > T0 + 2 * 60 * MINUTE ? ((t - T0) / (60 * MINUTE)) * 0.15 : 0;
      records.push(
        prediction('m', t, {
          features: { score: ((i * 7919) % 1000) / 1000 + shift, tier: ['a', 'b', 'c'][i % 3] },
        }),
      );
    }
    const expected = run(byTime(records), settings);
    const drift = expected.events.filter((e) => e.rule === 'feature_drift');
    expect(drift.length).toBeGreaterThan(0);
    expect(drift[0].type).toBe('feature_drift.opened');
    for (let seed = 1; seed <= 5; seed++) {
      const shuffled = run(shuffledWithinLateness(records, seed), settings);
      expect(shuffled.events).toEqual(expected.events);
      expect(shuffled.state.drift.reference).toEqual(expected.state.drift.reference);
    }
  });

  it('drift: a categorical feature with more values than are kept does not drift against itself', () => {
    // 300 countries, 4 of each in the 1,200-prediction reference and 12 of each per hour after.
    const settings: RuleSettings = {
      ...DEFAULT_RULE_SETTINGS,
      drift: { ...DEFAULT_RULE_SETTINGS.drift, referenceSize: 1200 },
    };
    const records: TelemetryRecord[] = [];
    for (let i = 0; i < 6 * 3600; i++)
      records.push(prediction('m', T0 + i * 1000, { features: { country: `c${i % 300}` } }));
    const { events, state } = run(records, settings);
    expect(state.drift.source).toBe('first-predictions');
    const ref = state.drift.reference.get('country');
    expect(ref).toMatchObject({ type: 'categorical' });
    // 32 kept, every other value counted as "other", none dropped.
    expect(ref!.counts.reduce((a, b) => a + b, 0)).toBe(1200);
    expect(state.drift.lastScores.country).toBe(0);
    expect(events.filter((e) => e.rule === 'feature_drift')).toEqual([]);
  });
});
