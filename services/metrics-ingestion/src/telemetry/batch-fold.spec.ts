import { DLQ_HEADERS, TelemetryValidator, type TelemetryRecord } from '@fulcrum/contracts';
import { prediction, quality } from '@fulcrum/testing';
import type { KafkaMessage } from 'kafkajs';
import { ModelState } from '../model-state/model-state';
import { DEFAULT_RULE_SETTINGS } from '../settings/rule-settings';
import { foldBatch, type FoldContext } from './batch-fold';

const T0 = Date.UTC(2026, 0, 5, 10, 0);
const NOW = T0 + 3_600_000;

const message = (offset: number, value: unknown, key = 'm'): KafkaMessage => ({
  key: Buffer.from(key),
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  offset: String(offset),
  timestamp: String(NOW),
  attributes: 0,
  headers: {},
});

function context(models: Map<string, ModelState>, over: Partial<FoldContext> = {}): FoldContext {
  return {
    topic: 'telemetry',
    partition: 2,
    validator: new TelemetryValidator(),
    model: (id) => models.get(id) ?? models.set(id, new ModelState(id)).get(id)!,
    settings: () => DEFAULT_RULE_SETTINGS,
    now: NOW,
    shouldStop: () => false,
    heartbeat: async () => undefined,
    ...over,
  };
}

const at = (minutes: number): TelemetryRecord => prediction('m', T0 + minutes * 60_000);

describe('foldBatch', () => {
  it('given valid records, then folds them into their model and counts them by kind', async () => {
    const models = new Map<string, ModelState>();
    const folded = await foldBatch(
      [message(0, at(0)), message(1, at(1)), message(2, quality('m', T0, T0 + 60_000, 10, 9))],
      context(models),
    );
    expect(Object.fromEntries(folded.consumed)).toEqual({ prediction: 2, quality: 1 });
    expect(folded.last).toBe('2');
    expect([...folded.touched]).toEqual([models.get('m')]);
    expect(models.get('m')!.lastOffset).toBe(2);
  });

  it('given an invalid record, then it becomes a dead letter with its reason and the rest go on', async () => {
    const folded = await foldBatch(
      [message(7, '{not json'), message(8, at(0))],
      context(new Map()),
    );
    expect(folded.deadLetters).toHaveLength(1);
    const headers = folded.deadLetters[0].headers!;
    expect(headers[DLQ_HEADERS.sourcePartition]).toBe('2');
    expect(headers[DLQ_HEADERS.sourceOffset]).toBe('7');
    expect(String(headers[DLQ_HEADERS.reasonCode])).toBe([...folded.invalid.keys()][0]);
    expect(folded.consumed.get('prediction')).toBe(1);
    expect(folded.last).toBe('8');
  });

  it('given records a restored checkpoint already holds, then they are skipped by offset', async () => {
    const restored = new ModelState('m');
    restored.lastOffset = 5;
    const folded = await foldBatch(
      [message(4, at(0)), message(5, at(1)), message(6, at(2))],
      context(new Map([['m', restored]])),
    );
    expect(folded.duplicates).toBe(2);
    expect(folded.consumed.get('prediction')).toBe(1);
  });

  it('given a record older than the watermark minus the lateness, then it is counted late, not folded', async () => {
    const folded = await foldBatch([message(0, at(120)), message(1, at(0))], context(new Map()));
    expect(folded.late.get('prediction')).toBe(1);
    expect(folded.consumed.get('prediction')).toBe(1);
  });

  it('stops at the next check when told to and reports the last record it looked at', async () => {
    let checks = 0;
    const messages = Array.from({ length: 200 }, (_, i) => message(i, at(i)));
    const folded = await foldBatch(
      messages,
      context(new Map(), { shouldStop: () => ++checks > 1 }),
    );
    expect(folded.last).toBe('63');
    expect(folded.consumed.get('prediction')).toBe(64);
  });

  it('heartbeats every thousand records', async () => {
    let beats = 0;
    const messages = Array.from({ length: 2500 }, (_, i) => message(i, at(0)));
    await foldBatch(messages, context(new Map(), { heartbeat: async () => void beats++ }));
    expect(beats).toBe(2);
  });
});
