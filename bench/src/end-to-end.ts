/** End to end: a telemetry breach → the model-hygiene item visible through the REST API. */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { topicEnv } from '@fulcrum/contracts';
import { breach } from './telemetry-load';
import { ADMIN_KEY, KEYS, SIZES, type Figure } from './figure';
import {
  createTopics,
  ingestionEnv,
  freePort,
  kafka,
  MONGO,
  percentile,
  runNode,
  stop,
  uniqueName,
  waitUntil,
} from './bench-kit';

export async function endToEnd(): Promise<Figure> {
  const topics = await createTopics();
  const database = uniqueName('fulcrum_bench');
  const ingestionPort = await freePort();
  const backlogPort = await freePort();
  const ingestion = runNode(
    'services/metrics-ingestion/src/main.js',
    ingestionEnv(topics, uniqueName('bench-e2e'), ingestionPort),
  );
  const backlog = runNode('services/backlog/src/main.js', {
    FULCRUM_MONGO_URI: `${MONGO}/${database}`,
    FULCRUM_BACKLOG_PORT: String(backlogPort),
    FULCRUM_API_KEYS: KEYS,
    // This run's topics, model status included: the backlog reads what this ingestion publishes,
    // not what earlier runs left on the default topics. (It read those from the beginning, ~30 ms
    // a status, before the first breach: the "cold start" of earlier recordings.)
    ...topicEnv(topics),
    FULCRUM_BACKLOG_GROUP_ID: uniqueName('bench-e2e-backlog'),
  });
  await waitUntil(
    'services ready',
    async () =>
      (await fetch(`http://127.0.0.1:${ingestionPort}/health/ready`)).ok &&
      (await fetch(`http://127.0.0.1:${backlogPort}/health/ready`)).ok,
  );
  const producer = kafka.producer();
  await producer.connect();
  // BENCH_DEBUG=1 also reads the reliability topic, to split each sample at the event's arrival:
  // [ms to the event on the topic, ms to the item in the API].
  const eventAt = new Map<string, number>();
  const watcher = process.env.BENCH_DEBUG
    ? kafka.consumer({ groupId: uniqueName('bench-e2e-watch'), maxWaitTimeInMs: 20 })
    : null;
  if (watcher) {
    await watcher.connect();
    await watcher.subscribe({ topic: topics.reliabilityEvents, fromBeginning: true });
    await watcher.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '';
        if (!eventAt.has(key)) eventAt.set(key, Date.now());
      },
    });
  }
  const split: [number, number][] = [];
  const latencies: number[] = [];
  for (let s = 0; s < SIZES.e2eSamples; s++) {
    const modelId = `e2e-${s}-${randomUUID().slice(0, 6)}`;
    const start = Date.now();
    await producer.send({
      topic: topics.telemetry,
      acks: -1,
      messages: breach(modelId, Date.UTC(2026, 0, 3)),
    });
    await waitUntil(
      `item for ${modelId}`,
      async () => {
        const res = await fetch(`http://127.0.0.1:${backlogPort}/api/v1/items?model=${modelId}`, {
          headers: { 'X-API-Key': ADMIN_KEY },
        });
        return ((await res.json()) as { items: unknown[] }).items.length > 0;
      },
      30_000,
      10,
    );
    latencies.push(Date.now() - start);
    if (watcher) split.push([(eventAt.get(modelId) ?? NaN) - start, Date.now() - start]);
  }
  if (watcher) {
    console.error(`[bench] e2e samples [to event, to item] ms: ${JSON.stringify(split)}`);
    await watcher.disconnect();
  }
  await producer.disconnect();
  await stop(ingestion);
  await stop(backlog);
  const client = new MongoClient(`${MONGO}/${database}`);
  await client.connect();
  await client.db(database).dropDatabase();
  await client.close();
  const p99 = percentile(latencies, 99);
  return {
    name: 'End to end: telemetry breach → model-hygiene item visible through the REST API',
    value: p99,
    unit: 'ms p99',
    baseline: { name: 'p50', value: percentile(latencies, 50), unit: 'ms' },
    target: 'p99 ≤ 2000 ms',
    met: p99 <= 2000,
    notes: `${latencies.length} sequential breaches, API polled every 10 ms`,
  };
}
