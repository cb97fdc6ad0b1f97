/**
 * Baseline: raw kafkajs eachBatch, consume only (no decode, no work), committing each batch, on the
 * same topic the service reads. Run as a child process by the benchmark.
 */
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const kafka = new Kafka({
    clientId: 'fulcrum-bench-raw',
    brokers: (process.env.FULCRUM_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
  // The same fetch settings as metrics-ingestion, so the ratio measures per-record work only.
  const consumer = kafka.consumer({
    groupId: process.env.BENCH_GROUP!,
    maxBytesPerPartition: 8 * 1024 * 1024,
    maxBytes: 48 * 1024 * 1024,
  });
  // Progress goes to the harness over stdout (its own counter, every 50 ms): probing the group's
  // committed offsets through a Kafka admin connection that often loaded the broker being measured.
  let committedRecords = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('joined\n'));
  setInterval(() => process.stdout.write(`committed ${committedRecords}\n`), 50).unref();
  await consumer.connect();
  await consumer.subscribe({ topic: process.env.BENCH_TOPIC!, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 6,
    eachBatch: async (payload) => {
      const { batch } = payload;
      const last = batch.messages[batch.messages.length - 1];
      if (!last) return;
      payload.resolveOffset(last.offset);
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
      ]);
      committedRecords += batch.messages.length;
    },
  });
  process.on('SIGTERM', () => void consumer.disconnect().then(() => process.exit(0)));
}

void main();
