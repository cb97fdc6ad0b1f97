import { ensureTopics } from '@fulcrum/platform';
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_TOPICS,
  topicSpecs,
  type TelemetryRecord,
  type TopicNames,
} from '@fulcrum/contracts';
import { Kafka, logLevel, type IHeaders, type Producer } from 'kafkajs';

/** The real broker started by scripts/infra/up.sh (or FULCRUM_KAFKA_BROKERS). */
export const BROKERS = (process.env.FULCRUM_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const MONGO_URI_BASE = process.env.FULCRUM_MONGO_URI_BASE ?? 'mongodb://127.0.0.1:27017';

export const testKafka = new Kafka({
  clientId: 'fulcrum-tests',
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
  retry: { retries: 8 },
});

/** Fresh topic names for one test, so tests never see each other's records. */
export async function freshTopics(partitions = 6): Promise<TopicNames> {
  const suffix = randomUUID().slice(0, 8);
  const names: TopicNames = {
    telemetry: `${DEFAULT_TOPICS.telemetry}.t-${suffix}`,
    telemetryDlq: `${DEFAULT_TOPICS.telemetryDlq}.t-${suffix}`,
    reliabilityEvents: `${DEFAULT_TOPICS.reliabilityEvents}.t-${suffix}`,
    ingestionState: `${DEFAULT_TOPICS.ingestionState}.t-${suffix}`,
    modelStatus: `${DEFAULT_TOPICS.modelStatus}.t-${suffix}`,
  };
  const admin = testKafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicSpecs(names, partitions));
  await admin.disconnect();
  return names;
}

/** The reliability-events topic of this test file (see integration-env.ts), created if missing. */
export async function reliabilityTopic(): Promise<string> {
  const topic = process.env.FULCRUM_TOPIC_RELIABILITY_EVENTS!;
  const admin = testKafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
  });
  await admin.disconnect();
  return topic;
}

let producer: Producer | undefined;

/** An independent client, as an ML platform would be: key = modelId, one record per message. */
export async function produceTelemetry(
  topic: string,
  records: (TelemetryRecord | { key: string | null; value: Buffer | string | null })[],
): Promise<void> {
  if (!producer) {
    producer = testKafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  }
  const messages = records.map((r) =>
    'kind' in r ? { key: r.modelId, value: JSON.stringify(r) } : r,
  );
  // Slices under the broker's 1 MB record-batch limit (fuzz cases can be large).
  let slice: typeof messages = [];
  let bytes = 0;
  for (const m of messages) {
    const size = 64 + (m.key?.length ?? 0) + (m.value === null ? 0 : Buffer.byteLength(m.value));
    if (slice.length && (bytes + size > 512 * 1024 || slice.length >= 2000)) {
      await producer.send({ topic, acks: -1, messages: slice });
      slice = [];
      bytes = 0;
    }
    slice.push(m);
    bytes += size;
  }
  if (slice.length) await producer.send({ topic, acks: -1, messages: slice });
}

export async function closeTestProducer(): Promise<void> {
  await producer?.disconnect();
  producer = undefined;
}

export interface ReadMessage {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/** Everything on a topic, from the beginning, once `done(messages)` holds or the timeout passes. */
export async function readTopic(
  topic: string,
  done: (messages: ReadMessage[]) => boolean,
  timeoutMs = 60_000,
): Promise<ReadMessage[]> {
  const consumer = testKafka.consumer({ groupId: `fulcrum-tests-reader-${randomUUID()}` });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `timed out after ${timeoutMs} ms reading ${topic}; got ${messages.length} messages`,
            ),
          ),
        timeoutMs,
      );
      if (done(messages)) {
        clearTimeout(timer);
        resolve();
      }
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          messages.push({
            key: message.key?.toString() ?? null,
            value: message.value,
            headers: headersToStrings(message.headers),
            partition,
            offset: message.offset,
          });
          if (done(messages)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {}))
    out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v ?? '');
  return out;
}

export function parseValues<T>(messages: ReadMessage[]): T[] {
  return messages.map((m) => JSON.parse(m.value!.toString('utf8')) as T);
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    // A probe that throws is "not yet" (a broker still electing coordinators after a restart, say);
    // the last error is reported if the wait runs out.
    const value = await probe().catch((error: unknown) => ((lastError = error), undefined));
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `timed out waiting for ${what}${lastError ? `; last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}` : ''}`,
  );
}

/** Everything that arrives on a topic within `ms` (for asserting that nothing more comes). */
export async function readFor(topic: string, ms: number): Promise<ReadMessage[]> {
  const seen: ReadMessage[] = [];
  await readTopic(topic, (m) => (seen.splice(0, seen.length, ...m), false), ms).catch(
    () => undefined,
  );
  return seen;
}

/** Sum of the committed offsets of a group on a topic. */
export async function committedCount(groupId: string, topic: string): Promise<number> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every message on the topic up to its current high-water mark, in partition order — unlike
 * `readTopic`, which stops at a count, this sees duplicates and extras. Call it once the producer
 * side is known to be done (e.g. the service committed every input offset) to assert exact output.
 */
export async function readAll(topic: string, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const admin = testKafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const total = [...ends.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return [];
  const done = (ms: ReadMessage[]) =>
    [...ends].every(
      ([p, high]) =>
        high === 0 || ms.some((m) => m.partition === p && Number(m.offset) >= high - 1),
    );
  const messages = await readTopic(topic, done, timeoutMs);
  return messages
    .filter((m) => Number(m.offset) < ends.get(m.partition)!)
    .sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}
