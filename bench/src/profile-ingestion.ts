/**
 * Profiles the ingestion hot path: preloads predictions into fresh topics, runs metrics-ingestion
 * under --cpu-prof until it has committed them, and leaves the profile in bench/results/.
 *   node -r ./scripts/register-paths.js dist/bench/src/profile-ingestion.js
 */
import { join } from 'node:path';
import {
  committed,
  createTopics,
  freePort,
  ingestionEnv,
  kafka,
  ROOT,
  runNode,
  stop,
  uniqueName,
  waitUntil,
} from './bench-kit';
import { baselineFor, predictionMessages } from './telemetry-load';

async function main(): Promise<void> {
  const names = await createTopics('prof');
  const t0 = Date.UTC(2026, 0, 1);
  const models = 1000;
  const messages = [
    ...Array.from({ length: models }, (_, m) => ({
      key: `bench-model-${m}`,
      value: JSON.stringify(baselineFor(`bench-model-${m}`, t0)),
    })),
    ...predictionMessages(Number(process.env.PROFILE_RECORDS ?? 200_000), models, t0 + 1000),
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
    ingestionEnv(names, group, await freePort()),
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
