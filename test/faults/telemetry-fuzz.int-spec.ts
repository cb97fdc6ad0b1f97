import type { ReliabilityEvent } from '@fulcrum/contracts';
import { rng } from '../../tools/simulator/src/synthetic-model';
import { accuracyScenario } from '@fulcrum/testing';
import { prediction, quality, window } from '@fulcrum/testing';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  parseValues,
  produceTelemetry,
  readAll,
  waitFor,
} from '../support/kafka-test-kit';
import { ingestionEnv } from './fault-workload';
import { kill, spawnService } from '../support/processes';

/**
 * Fields every record kind requires (README, "Telemetry contract v1") and, per field, the values
 * the README rules out — an oracle written from the contract's text, not the production validator.
 * modelVersion and the optional `features` are never mutated: what they admit is not spelled out.
 */
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
const textFields = [
  'schema', // the constant "fulcrum.telemetry/v1"
  'kind', // one of four names
  'modelId', // ^[a-z0-9][a-z0-9._-]{0,127}$ and equal to the key
  'eventTime', // ISO-8601 with zone
  'windowStart',
  'windowEnd',
  'outcome', // ok | error
  'interaction', // realtime | batch
];
const countFields = ['latencyMs', 'labeled', 'correct', 'count', 'errorCount'];
const ruledOut: Record<string, unknown[]> = {
  ...Object.fromEntries(textFields.map((f) => [f, weird])),
  // Non-negative numbers: anything not a number, or negative. (1e308 and -0 are numbers ≥ 0.)
  ...Object.fromEntries(
    countFields.map((f) => [f, weird.filter((v) => v !== 1e308 && !Object.is(v, -0))]),
  ),
  latency: weird, // an object with boundsMs and counts
};

/**
 * Random and mutated telemetry — garbage bytes, invalid UTF-8, deep nesting, oversized fields,
 * required fields removed or given values the contract rules out, unknown fields: every case is
 * invalid by construction.
 */
function fuzzCases(count: number, seed: number): { key: string | null; value: Buffer }[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const t = Date.UTC(2026, 0, 9);
  const seeds = [
    prediction('fuzz-model', t, { features: { a: 1, b: 'x' } }),
    quality('fuzz-model', t, t + 60_000, 10, 9),
    window('fuzz-model', t, t + 60_000, { count: 10, errors: 1, slow: 2 }),
  ] as unknown as Record<string, unknown>[];
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
      const keys = Object.keys(base).filter((k) => k in ruledOut);
      const mutations = 1 + Math.floor(r() * 3);
      for (let m = 0; m < mutations; m++) {
        const k = pick(keys);
        if (r() < 0.2) delete base[k];
        else base[k] = pick(ruledOut[k]);
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
      const invalid = cases.length;
      const scenario = accuracyScenario('fuzz-survivor');
      await produceTelemetry(topics.telemetry, [...cases, ...scenario]);
      const total = cases.length + scenario.length;
      await waitFor(
        'everything committed',
        async () => (await committedCount(groupId, topics.telemetry)) === total,
        120_000,
      );
      expect(service.child.exitCode).toBeNull();
      // Every fuzz case (offsets 0…n−1) dead-lettered once, none of the valid scenario.
      const dlq = await readAll(topics.telemetryDlq);
      expect(dlq.map((m) => Number(m.headers['fulcrum-dlq-source-offset']))).toEqual(
        cases.map((_, offset) => offset),
      );
      for (const m of dlq) expect(m.headers['fulcrum-dlq-reason'].length).toBeGreaterThan(5);
      const events = parseValues<ReliabilityEvent>(await readAll(topics.reliabilityEvents));
      expect(events.map((e) => `${e.modelId} ${e.type}:${e.severity}`)).toEqual([
        'fuzz-survivor accuracy.opened:warning',
        'fuzz-survivor accuracy.updated:critical',
        'fuzz-survivor accuracy.resolved:critical',
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
