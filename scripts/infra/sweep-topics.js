#!/usr/bin/env node
/**
 * Deletes the per-run topics earlier test and benchmark runs left on the local broker
 * (`<topic>.t-<8 hex>`, `<topic>.bench-<8 hex>` and the other bench prefixes): every run creates its own, and after a few
 * hundred runs the broker held ~20,000 partitions and stopped on "Too many open files".
 * Run before a test or bench run, never beside one: it would delete that run's topics too.
 */
const { Kafka, logLevel } = require('kafkajs');

// bench-kit's createTopics(prefix) uses 'bench', 'bench-scale' and 'prof'; the tests use 't'.
const PER_RUN = /\.(t|bench|bench-scale|prof)-[0-9a-f]{8}$/;
const brokers = (process.env.FULCRUM_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

async function main() {
  const admin = new Kafka({
    clientId: 'fulcrum-sweep',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const leftovers = (await admin.listTopics()).filter((name) => PER_RUN.test(name));
    for (let i = 0; i < leftovers.length; i += 100)
      await admin.deleteTopics({ topics: leftovers.slice(i, i + 100), timeout: 60_000 });
    console.log(`[infra] deleted ${leftovers.length} topics left by earlier test and bench runs`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((error) => {
  // Not fatal: a run with leftovers still works until the broker's file limit is reached.
  console.error(`[infra] could not delete earlier runs' topics: ${error.message}`);
});
