/**
 * Profiles the ingestion hot path: preloads predictions into fresh topics, runs metrics-ingestion
 * under --cpu-prof until it has committed them, and leaves the profile in bench/results/.
 *   node -r ./scripts/register-paths.js dist/bench/src/profile-ingestion.js
 */
import { ensureTopics } from '@fulcrum/platform';
import { join } from 'node:path';
import { topicSpecs } from '@fulcrum/contracts';
import {
  committed,
  ROOT,
  runNode,
  stop,
  uniqueName,
  waitUntil,
  withAdmin,
  kafka,
} from './bench-kit';
import { baselineFor, predictionMessages } from './telemetry-load';

async function main(): Promise<void> {
  const s = uniqueName('prof');
  const names = {
    telemetry: `fulcrum.telemetry.v1.${s}`,
    telemetryDlq: `fulcrum.telemetry.dlq.v1.${s}`,
    reliabilityEvents: `fulcrum.reliability-events.v1.${s}`,
    ingestionState: `fulcrum.ingestion-state.v1.${s}`,
  };
  await withAdmin((admin) => ensureTopics(admin, topicSpecs(names)));
  const t0 = Date.UTC(2026, 0, 1);
  const models = 1000;
  const messages = [
    ...Array.from({ length: models }, (_, m) => ({
      key: `bench-model-${m}`,
      value: JSON.stringify(baselineFor(`bench-model-${m}`, t0)),
    })),
    ...predictionMessages(Number(process.env.PROFILE_RECORDS ?? 100_000), models, t0 + 1000),
  ];
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < messages.length; i += 5000)
    await producer.send({
      topic: names.telemetry,
      acks: -1,
      messages: messages.slice(i, i + 5000),
    });
  await producer.disconnect();
  const group = uniqueName('prof');
  const dir = join(ROOT, 'bench/results');
  const started = Date.now();
  const child = runNode(
    'services/metrics-ingestion/src/main.js',
    {
      FULCRUM_TOPIC_TELEMETRY: names.telemetry,
      FULCRUM_TOPIC_TELEMETRY_DLQ: names.telemetryDlq,
      FULCRUM_TOPIC_RELIABILITY_EVENTS: names.reliabilityEvents,
      FULCRUM_TOPIC_INGESTION_STATE: names.ingestionState,
      FULCRUM_INGESTION_GROUP_ID: group,
      FULCRUM_INGESTION_PORT: '3999',
    },
    ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  );
  await waitUntil(
    'all committed',
    async () => (await committed(group, names.telemetry)) >= messages.length,
    600_000,
    250,
  );
  console.log(
    `committed ${messages.length} in ${(Date.now() - started) / 1000} s (incl. start-up)`,
  );
  await stop(child);
}

void main();
