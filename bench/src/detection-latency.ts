/** Detection latency: a breach produced → its reliability event readable, under background load. */
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes } from 'kafkajs';
import type { ReliabilityEvent } from '@fulcrum/contracts';
import { breach } from './telemetry-load';
import { startBackgroundLoad } from './background-load';
import { SIZES, type Figure } from './figure';
import {
  cpuSeconds,
  createTopics,
  ingestionEnv,
  freePort,
  infraPid,
  kafka,
  percentile,
  runNode,
  sleep,
  stop,
  uniqueName,
  waitUntil,
  withAdmin,
} from './bench-kit';

export async function detectionLatency(sustained: number): Promise<Figure> {
  const topics = await createTopics();
  // With BENCH_DEBUG, the broker stamps the breach records and the events when it appends them, so
  // the debug output splits a breach's latency: reaching the broker, the service, the delivery.
  if (process.env.BENCH_DEBUG)
    await withAdmin((admin) =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [topics.telemetry, topics.reliabilityEvents].map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
        })),
      }),
    );
  const group = uniqueName('bench-latency');
  const port = await freePort();
  const child = runNode(
    'services/metrics-ingestion/src/main.js',
    ingestionEnv(topics, group, port),
  );
  const received = new Map<string, number>();
  /** Each breach's event's record timestamp: when the broker appended it, with BENCH_DEBUG. */
  const produced = new Map<string, number>();
  const consumer = kafka.consumer({
    groupId: uniqueName('bench-latency-reader'),
    maxWaitTimeInMs: 20,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.reliabilityEvents, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const { modelId } = JSON.parse(message.value!.toString()) as ReliabilityEvent;
      received.set(modelId, Date.now());
      produced.set(modelId, Number(message.timestamp));
    },
  });
  // The breach producer is not the background load's (that one is in a worker): no queueing behind it.
  const producer = kafka.producer();
  await producer.connect();
  await waitUntil(
    'ingestion ready',
    async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok,
  );
  const rate = sustained / 2;
  const t0 = Date.UTC(2026, 0, 2);
  // Sent from a worker thread (see background-load.ts): this event loop times the deliveries.
  const load = await startBackgroundLoad({
    topic: topics.telemetry,
    rate,
    seconds: 3 + SIZES.latencySamples * 0.25 + 10,
    models: 200,
    t0,
    seed: 7,
  });
  // CPU while the breaches are sent, per process: this machine's two cores are shared by all three.
  const broker = infraPid('kafka');
  const cpuAt = () => ({
    at: Date.now(),
    service: cpuSeconds(child.pid!),
    harness: process.cpuUsage(),
    broker: broker === null ? 0 : cpuSeconds(broker),
  });
  await sleep(3000);
  const cpu0 = cpuAt();
  const sent = new Map<string, number>();
  /** When the broker appended each breach's records (with BENCH_DEBUG; -1 otherwise). */
  const appended = new Map<string, number>();
  for (let s = 0; s < SIZES.latencySamples; s++) {
    const modelId = `latency-${s}-${randomUUID().slice(0, 6)}`;
    const msgs = breach(modelId, Date.UTC(2026, 0, 2, 1));
    const before = Date.now();
    const acked = await Promise.race([
      producer.send({ topic: topics.telemetry, acks: -1, messages: msgs }).then((meta) => {
        appended.set(modelId, Number(meta[0]?.logAppendTime ?? -1));
        return true;
      }),
      sleep(10_000).then(() => false),
    ]);
    if (!acked) break;
    sent.set(modelId, before);
    await sleep(250);
  }
  let complete = true;
  await waitUntil(
    'all breaches detected',
    async () => [...sent.keys()].every((m) => received.has(m)),
    60_000,
  ).catch(() => (complete = false));
  const cpu1 = cpuAt();
  const loadSent = await load.stop();
  const wall = (cpu1.at - cpu0.at) / 1000;
  const harnessCpu = process.cpuUsage(cpu0.harness);
  const cores = (seconds: number) => (seconds / wall).toFixed(2);
  const cpuNote =
    `; CPU while sampling, in cores: service ${cores(cpu1.service - cpu0.service)}, ` +
    `load generator and reader ${cores((harnessCpu.user + harnessCpu.system) / 1e6)}` +
    (broker === null ? '' : `, broker ${cores(cpu1.broker - cpu0.broker)}`);
  // BENCH_DEBUG=1 prints each breach as [send time mod 100 s, latency ms, ms until the broker
  // appended the breach, ms from there until it appended the event (the service's part)]: where
  // the tail sits, and whether it is in the service at all.
  if (process.env.BENCH_DEBUG)
    console.error(
      JSON.stringify(
        [...sent].map(([m, t]) => [
          t % 100_000,
          (received.get(m) ?? t) - t,
          (appended.get(m) ?? t) - t,
          (produced.get(m) ?? t) - (appended.get(m) ?? t),
        ]),
      ),
    );
  const latencies = [...sent]
    .filter(([m]) => received.has(m))
    .map(([m, t]) => received.get(m)! - t);
  await producer.disconnect();
  await consumer.disconnect();
  await stop(child);
  const p99 = percentile(latencies, 99);
  return {
    name: 'Detection latency at half the sustained rate (record produced → reliability event readable)',
    value: p99,
    unit: 'ms p99',
    baseline: { name: 'p50', value: percentile(latencies, 50), unit: 'ms' },
    target: 'p99 ≤ 500 ms in every run',
    met: complete && p99 <= 500,
    notes: `${latencies.length} of ${SIZES.latencySamples} breaches detected under a background load of ${Math.round(rate)} predictions/s (${loadSent.rate}/s sent)${cpuNote}${complete ? '' : ' — INCOMPLETE: not every breach was detected within 60 s'}`,
  };
}
