/** Ingestion throughput against raw kafkajs eachBatch, records/s from joining the group to the last record. */
import { type ChildProcess } from 'node:child_process';
import type { TopicNames } from '@fulcrum/contracts';
import { baselineFor, predictionMessages } from './telemetry-load';
import { round, SIZES, type Figure } from './figure';
import { foldCeiling } from './fold-ceiling';
import { javaConsumerRate } from './java-consumer';
import {
  committed,
  createTopics,
  ingestionEnv,
  freePort,
  kafka,
  median,
  runNode,
  stop,
  uniqueName,
  waitUntil,
} from './bench-kit';

async function produceAll(
  topic: string,
  messages: { key: string; value: string }[],
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const chunk = 5000;
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < messages.length; i += chunk) {
    inflight.push(producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) }));
    if (inflight.length >= 4) await inflight.shift();
  }
  await Promise.all(inflight);
  await producer.disconnect();
}

/**
 * Records per second from the moment a consumer is a member of its group to the moment it has
 * processed `total`: start-up is excluded, every record (and every fetch) is included. Progress is
 * polled every 50 ms, so the error is under 1 % on runs of several seconds.
 */
async function processingRate(
  joined: Promise<number>,
  progress: () => Promise<number>,
  total: number,
  what: string,
): Promise<number> {
  const t0 = await joined;
  let t1 = 0;
  await waitUntil(
    what,
    async () => {
      if ((await progress()) < total) return false;
      t1 = Date.now();
      return true;
    },
    600_000,
    50,
  );
  return (total / (t1 - t0)) * 1000;
}

/** The service counts a batch in fulcrum_ingestion_records_consumed_total once it is processed. */
async function consumedByService(port: number): Promise<number> {
  // Only the counter: a full scrape renders every per-model gauge and would slow the service.
  const text = await (
    await fetch(`http://127.0.0.1:${port}/metrics?name[]=fulcrum_ingestion_records_consumed_total`)
  ).text();
  return [...text.matchAll(/^fulcrum_ingestion_records_consumed_total\{[^}]*\} (\d+)/gm)].reduce(
    (a, m) => a + Number(m[1]),
    0,
  );
}

/** Ready means a member of the consumer group (see TelemetryPipeline.readiness). */
async function serviceJoined(port: number): Promise<number> {
  await waitUntil(
    'ingestion joined its group',
    async () =>
      (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.ok ?? false,
    120_000,
    20,
  );
  return Date.now();
}

/** The raw consumer prints "joined" on kafkajs's GROUP_JOIN and "committed <n>" every 50 ms. */
function rawProgress(child: ChildProcess): {
  joined: Promise<number>;
  committed: () => number;
} {
  let committed = 0;
  const joined = new Promise<number>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      if (text.includes('joined')) resolve(Date.now());
      for (const m of text.matchAll(/committed (\d+)/g))
        committed = Math.max(committed, Number(m[1]));
    });
  });
  return { joined, committed: () => committed };
}

/** Fresh topics with the benchmark's backlog in the telemetry topic: a baseline per model, then predictions. */
export async function preloadTelemetry(records = SIZES.records): Promise<{
  topics: TopicNames;
  messages: { key: string; value: string }[];
}> {
  const topics = await createTopics();
  const t0 = Date.UTC(2026, 0, 1);
  const baselines = Array.from({ length: SIZES.models }, (_, m) => ({
    key: `bench-model-${m}`,
    value: JSON.stringify(baselineFor(`bench-model-${m}`, t0)),
  }));
  const messages = [...baselines, ...predictionMessages(records, SIZES.models, t0 + 1000)];
  const loadStart = Date.now();
  await produceAll(topics.telemetry, messages);
  console.error(
    `[bench] preloaded ${messages.length} records in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`,
  );
  return { topics, messages };
}

export async function ingestionThroughput(): Promise<{
  figure: Figure;
  sustained: number;
  topics: TopicNames;
  records: number;
}> {
  const { topics, messages } = await preloadTelemetry();
  const raw: number[] = [];
  const service: number[] = [];
  const java: number[] = [];
  for (let run = 0; run < SIZES.runs; run++) {
    const rawGroup = uniqueName('bench-raw');
    const rawChild = runNode(
      'bench/src/raw-consumer.js',
      { BENCH_TOPIC: topics.telemetry, BENCH_GROUP: rawGroup },
      [],
      'pipe',
    );
    const rawRun = rawProgress(rawChild);
    raw.push(
      await processingRate(
        rawRun.joined,
        () => Promise.resolve(rawRun.committed()),
        messages.length,
        'raw consumer committed everything',
      ),
    );
    await stop(rawChild);
    const javaRate = await javaConsumerRate(topics.telemetry, messages.length);
    if (javaRate !== null) java.push(javaRate);
    // Fresh output and state topics per run: a run must not restore the previous run's state.
    const runTopics = { ...(await createTopics()), telemetry: topics.telemetry };
    const group = uniqueName('bench-ingestion');
    const port = await freePort();
    const child = runNode(
      'services/metrics-ingestion/src/main.js',
      ingestionEnv(runTopics, group, port),
    );
    service.push(
      await processingRate(
        serviceJoined(port),
        () => consumedByService(port),
        messages.length,
        'service processed everything',
      ),
    );
    await waitUntil(
      'service committed everything',
      async () => (await committed(group, topics.telemetry)) >= messages.length,
      120_000,
      200,
    );
    await stop(child);
    console.error(
      `[bench] run ${run + 1}: raw ${raw[run].toFixed(0)}/s, java ${java[run]?.toFixed(0) ?? '-'}/s, service ${service[run].toFixed(0)}/s`,
    );
  }
  const value = median(service);
  const baseline = median(raw);
  // The same records folded on one thread without Kafka: what any one folding thread can reach.
  const ceiling = await foldCeiling(messages.length - SIZES.models, SIZES.models, (line) =>
    console.error(`[bench] ${line}`),
  );
  return {
    sustained: value,
    topics,
    records: messages.length,
    figure: {
      name: 'Ingestion throughput (consume → validate → evaluate → produce → checkpoint → commit)',
      value: Math.round(value),
      unit: 'records/s',
      baseline: {
        name: 'raw kafkajs eachBatch, consume + commit only',
        value: Math.round(baseline),
        unit: 'records/s',
      },
      ratio: round(value / baseline),
      ...(java.length
        ? {
            reference: {
              name: "Kafka's Java consumer (ConsumerPerformance, fetch only)",
              value: Math.round(median(java)),
              unit: 'records/s',
              ratio: round(value / median(java)),
            },
          }
        : {}),
      target: 'ratio ≥ 0.5 (aim 0.7)',
      met: value / baseline >= 0.5,
      runs: service.map(Math.round),
      worst: Math.round(Math.min(...service)),
      notes: `${SIZES.records} predictions (10 numeric + 2 categorical features) over ${SIZES.models} models, 6 partitions; median of ${SIZES.runs} runs (Fulcrum ${service.map(Math.round).join(', ')}; raw kafkajs ${raw.map(Math.round).join(', ')}; worst ratio ${round(Math.min(...service.map((v, i) => v / raw[i])))}); each rate is records ÷ time from joining the group to the last record processed; the fold alone (decode, validate, evaluate; no Kafka) on one thread: ${ceiling.rate} records/s, ${ceiling.usPerRecord} µs per record (runs ${ceiling.runs.join(', ')}) = ${round(ceiling.rate / baseline)} of raw kafkajs, the ceiling of one folding thread (bench/src/fold-ceiling.ts)`,
    },
  };
}
