/**
 * Readiness probe for the local servers, run by scripts/infra/up.sh: waits until Kafka answers
 * metadata requests and FerretDB answers `ping`, then creates the topics from the contracts library.
 */
import { createKafka, EnvReader, ensureTopics } from '@fulcrum/platform';
import { topicNamesFromEnv, topicSpecs } from '@fulcrum/contracts';
import { MongoClient } from 'mongodb';

async function retry<T>(what: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await fn();
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms: ${String(lastError)}`);
}

async function main(): Promise<void> {
  const env = new EnvReader();
  const brokers = env.brokers('FULCRUM_KAFKA_BROKERS', [
    `127.0.0.1:${process.env.FULCRUM_KAFKA_PORT ?? 9092}`,
  ]);
  const mongoUri = env.mongoUri(
    'FULCRUM_MONGO_URI',
    `mongodb://127.0.0.1:${process.env.FULCRUM_MONGO_PORT ?? 27017}/fulcrum`,
  );
  const partitions = env.int('FULCRUM_TELEMETRY_PARTITIONS', 6, 1, 1024);
  env.done();

  const admin = createKafka({ clientId: 'fulcrum-infra', brokers }).admin();
  await retry('Kafka', () => admin.connect(), 90000);
  await retry('Kafka metadata', () => admin.describeCluster(), 90000);
  const missing = await ensureTopics(admin, topicSpecs(topicNamesFromEnv(), partitions));
  await admin.disconnect();

  const client = new MongoClient(mongoUri, { serverSelectionTimeoutMS: 2000 });
  await retry(
    'FerretDB',
    async () => {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
    },
    60000,
  );
  await client.close();
  process.stdout.write(
    `[infra] Kafka and MongoDB ready; topics: ${missing.join(', ') || 'already present'}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[infra] ERROR: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
