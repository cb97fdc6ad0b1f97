import { ensureTopics } from '@fulcrum/platform';
import { topicSpecs, topicNamesFromEnv } from '@fulcrum/contracts';
import { testKafka } from './kafka-test-kit';

// Integration tests talk to real servers: generous per-test time, never a timed assertion.
jest.setTimeout(180_000);

// The topics this file's backlog consumer subscribes to (named in integration-env.ts) exist before
// any test starts one: kafkajs does not create topics, and a subscription to a missing one fails.
beforeAll(async () => {
  const names = topicNamesFromEnv(process.env);
  const admin = testKafka.admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      topicSpecs(names).filter(
        (t) => t.name === names.reliabilityEvents || t.name === names.modelStatus,
      ),
    );
  } finally {
    await admin.disconnect();
  }
});
