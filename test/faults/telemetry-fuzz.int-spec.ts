import { TelemetryValidator, type ReliabilityEvent } from '@fulcrum/contracts';
import { rng } from '../../tools/simulator/src/synthetic-model';
import { accuracyScenario } from '../../tools/simulator/src/scenarios';
import { prediction, quality, window } from '../../tools/simulator/src/telemetry-builders';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  parseValues,
  produceTelemetry,
  readTopic,
  waitFor,
} from '../support/kafka-test-kit';
import { ingestionEnv } from './fault-workload';
import { kill, spawnService } from '../support/processes';

/** Random and mutated telemetry: garbage bytes, wrong types, huge fields, invalid UTF-8, deep nesting. */
function fuzzCases(count: number, seed: number): { key: string | null; value: Buffer }[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const t = Date.UTC(2026, 0, 9);
  const seeds = [
    prediction('fuzz-model', t, { features: { a: 1, b: 'x' } }),
    quality('fuzz-model', t, t + 60_000, 10, 9),
    window('fuzz-model', t, t + 60_000, { count: 10, errors: 1, slow: 2 }),
  ] as unknown as Record<string, unknown>[];
  const weird: unknown[] = [
    null,
    true,
    -1,
    1e308,
    -0,
    '',
    'x'.repeat(300),
    [],
    {},
    { $gt: 1 },
    [[[[1]]]],
    '\u0000',
    'é'.repeat(50),
    NaN,
  ];
  const out: { key: string | null; value: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 7;
    if (kind === 0)
      out.push({
        key: 'fuzz-model',
        value: Buffer.from(
          Array.from({ length: 1 + Math.floor(r() * 200) }, () => Math.floor(r() * 256)),
        ),
      });
    else if (kind === 1)
      out.push({
        key: 'fuzz-model',
        value: Buffer.concat([
          Buffer.from('{"schema":"fulcrum.telemetry/v1","kind":"'),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from('"}'),
        ]),
      });
    else if (kind === 2)
      out.push({
        key: 'fuzz-model',
        value: Buffer.from('{"a":'.repeat(2000 + i) + '1' + '}'.repeat(2000 + i)),
      });
    else if (kind === 3)
      out.push({
        key: 'fuzz-model',
        value: Buffer.from(JSON.stringify({ ...pick(seeds), modelVersion: 'v'.repeat(100_000) })),
      });
    else {
      const base = structuredClone(pick(seeds));
      const keys = Object.keys(base);
      const mutations = 1 + Math.floor(r() * 3);
      for (let m = 0; m < mutations; m++) {
        const k = pick(keys);
        if (r() < 0.2) delete base[k];
        else base[k] = pick(weird);
      }
      if (r() < 0.1) base[`extra${i}`] = 1;
      out.push({
        key: r() < 0.1 ? null : 'fuzz-model',
        value: Buffer.from(JSON.stringify(base) ?? 'null'),
      });
    }
  }
  return out;
}

describe('faults: telemetry fuzzing', () => {
  afterAll(closeTestProducer);

  it('sends every bad record to the DLQ with a reason, never crashes or stalls, and keeps processing', async () => {
    const topics = await freshTopics(1);
    const groupId = `fuzz-${Date.now()}`;
    const service = await spawnService('metrics-ingestion', {
      ...ingestionEnv(topics, groupId),
      FULCRUM_MAX_RECORD_BYTES: '65536',
    });
    try {
      const cases = fuzzCases(1500, 1234);
      const validator = new TelemetryValidator(65536);
      const invalid = cases.filter((c) => !validator.decode(c.value, c.key).ok).length;
      const scenario = accuracyScenario('fuzz-survivor');
      await produceTelemetry(topics.telemetry, [...cases, ...scenario]);
      const total = cases.length + scenario.length;
      await waitFor(
        'everything committed',
        async () => (await committedCount(groupId, topics.telemetry)) === total,
        120_000,
      );
      expect(service.child.exitCode).toBeNull();
      const dlq = await readTopic(topics.telemetryDlq, (ms) => ms.length >= invalid);
      expect(dlq.length).toBe(invalid);
      for (const m of dlq) expect(m.headers['fulcrum-dlq-reason'].length).toBeGreaterThan(5);
      const events = parseValues<ReliabilityEvent>(
        await readTopic(topics.reliabilityEvents, (ms) => ms.length >= 3),
      );
      expect(events.filter((e) => e.modelId === 'fuzz-survivor').map((e) => e.type)).toEqual([
        'accuracy.opened',
        'accuracy.updated',
        'accuracy.resolved',
      ]);
      expect((await fetch(`http://127.0.0.1:${service.port}/health/ready`)).status).toBe(200);
      const reasons = new Map<string, number>();
      for (const m of dlq)
        reasons.set(
          m.headers['fulcrum-dlq-reason-code'],
          (reasons.get(m.headers['fulcrum-dlq-reason-code']) ?? 0) + 1,
        );
      process.stdout.write(
        `[faults] telemetry fuzz: ${cases.length} fuzz cases, ${invalid} invalid → ${dlq.length} dead-lettered (${[...reasons].map(([k, v]) => `${k} ${v}`).join(', ')}), ${cases.length - invalid} valid applied, service up\n`,
      );
    } finally {
      await kill(service, 'SIGTERM');
    }
  });
});
