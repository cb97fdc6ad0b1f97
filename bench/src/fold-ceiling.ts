/**
 * The fold alone, without Kafka: decode, validate and evaluate the throughput benchmark's records
 * (200,000 predictions over 1,000 models with baselines; `npm run bench` folds its own records) through `foldBatch` on one thread, in
 * batches as kafkajs would hand them over. Its rate is the ceiling of any arrangement in which one
 * thread folds a partition's records — worker threads included — before a single byte is fetched,
 * produced or checkpointed.
 *   node -r ./scripts/register-paths.js dist/bench/src/fold-ceiling.js
 */
import { TelemetryValidator } from '@fulcrum/contracts';
import type { KafkaMessage } from 'kafkajs';
import { ModelState } from '../../services/metrics-ingestion/src/model-state/model-state';
import { RuleSettingsResolver } from '../../services/metrics-ingestion/src/settings/rule-settings.loader';
import { foldBatch } from '../../services/metrics-ingestion/src/telemetry/batch-fold';
import { baselineFor, predictionMessages } from './telemetry-load';

const BATCH = 5_000;

async function fold(messages: KafkaMessage[]): Promise<{ ms: number; events: number }> {
  const validator = new TelemetryValidator(64 * 1024, Infinity);
  const rules = new RuleSettingsResolver({});
  const models = new Map<string, ModelState>();
  let events = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < messages.length; i += BATCH) {
    const folded = await foldBatch(messages.slice(i, i + BATCH), {
      topic: 'telemetry',
      partition: 0,
      validator,
      model: (id) => {
        let m = models.get(id);
        if (!m) models.set(id, (m = new ModelState(id)));
        return m;
      },
      settings: (id) => rules.for(id),
      now: Date.now(),
      shouldStop: () => false,
      heartbeat: async () => undefined,
    });
    events += folded.events.length + folded.statuses.length;
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, events };
}

/** Median of five runs (the first ones include the JIT warming up, as a service's first seconds do). */
export async function foldCeiling(
  count = 200_000,
  models = 1000,
  log: (line: string) => void = () => undefined,
  /** Predictions with scores and baselines with a calibration: the accuracy estimate's extra work. */
  scored = false,
): Promise<{ usPerRecord: number; rate: number; runs: number[] }> {
  const messages = foldMessages(count, models, scored);
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) runs.push(await foldRun(messages, log, r));
  const rate = [...runs].sort((a, b) => a - b)[2];
  return { usPerRecord: Math.round(1e7 / rate) / 10, rate, runs };
}

/** The benchmark's records as kafkajs hands them over: key and value as Buffers, offsets as strings. */
export function foldMessages(count: number, models: number, scored = false): KafkaMessage[] {
  const t0 = Date.UTC(2026, 0, 1);
  const raw = [
    ...Array.from({ length: models }, (_, m) => ({
      key: `bench-model-${m}`,
      value: JSON.stringify(baselineFor(`bench-model-${m}`, t0, scored)),
    })),
    ...predictionMessages(count, models, t0 + 1000, 1, scored),
  ];
  // As kafkajs hands them over: key and value as Buffers, offsets as strings.
  return raw.map((m, i) => ({
    key: Buffer.from(m.key),
    value: Buffer.from(m.value),
    offset: String(i),
    timestamp: String(t0),
    attributes: 0,
    headers: {},
  }));
}

/** One fold of every message on fresh state; its rate in records per second. */
export async function foldRun(
  messages: KafkaMessage[],
  log: (line: string) => void,
  r: number,
): Promise<number> {
  const { ms, events } = await fold(messages);
  log(
    `fold run ${r + 1}: ${messages.length} records in ${ms.toFixed(0)} ms = ${((ms * 1000) / messages.length).toFixed(2)} µs per record (${events} events and statuses)`,
  );
  return Math.round(messages.length / (ms / 1000));
}

if (require.main === module)
  void foldCeiling(Number(process.env.PROFILE_RECORDS ?? 200_000), 1000, console.log).then((c) =>
    console.log(
      `median: ${c.usPerRecord} µs per record, ceiling ${c.rate} records/s on one thread (runs ${c.runs.join(', ')})`,
    ),
  );
