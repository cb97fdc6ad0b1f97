import type { INestApplication } from '@nestjs/common';
import type { MongoClient } from 'mongodb';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { KEYS, startBacklog } from '../support/backlog-app';
import { startIngestion } from '../support/ingestion-app';
import {
  closeTestProducer,
  freshTopics,
  reliabilityTopic,
  waitFor,
} from '../support/kafka-test-kit';

/**
 * `./scripts/start.sh` a second time: the models' state survives in the servers, so a simulator
 * that started 48 h back again would only send records the models' watermarks have passed (counted
 * late, shown nowhere). The real simulator process, run twice against one ingestion and backlog:
 * the second run continues from where the models are, and no record of it is late.
 */
const root = join(__dirname, '..', '..');

function simulate(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(root, 'scripts/register-paths.js'),
        join(root, 'dist/tools/simulator/src/main.js'),
      ],
      { env: { ...process.env, FULCRUM_LOG_LEVEL: 'info', ...env } },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`simulator exited ${code}: ${output}`)),
    );
  });
}

const late = (metrics: string) =>
  [...metrics.matchAll(/^fulcrum_ingestion_records_late_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
const consumed = (metrics: string) =>
  [...metrics.matchAll(/^fulcrum_ingestion_records_consumed_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );

describe('journey: a second start of the simulator continues where the models are', () => {
  let ingestion: INestApplication;
  let backlog: INestApplication;
  let client: MongoClient;

  beforeAll(async () => {
    const topics = {
      ...(await freshTopics(3)),
      reliabilityEvents: await reliabilityTopic(),
      modelStatus: process.env.FULCRUM_TOPIC_MODEL_STATUS!,
    };
    ({ app: ingestion } = await startIngestion(topics));
    ({ app: backlog, client } = await startBacklog({ consume: true }));
    process.env.FULCRUM_TOPIC_TELEMETRY = topics.telemetry;
  });
  afterAll(async () => {
    await ingestion.close();
    await backlog.close();
    await client.close();
    await closeTestProducer();
  });

  it('sends no late record on the second run', async () => {
    const env = {
      FULCRUM_TOPIC_TELEMETRY: process.env.FULCRUM_TOPIC_TELEMETRY!,
      FULCRUM_SIM_BACKLOG_URL: (await backlog.getUrl()).replace('[::1]', '127.0.0.1'),
      FULCRUM_SIM_API_KEY: KEYS.editor,
      // 400×: a 250 ms tick covers 100 s of event time, inside the 2-minute lateness, so the
      // simulator's own records are never late; an hour of history takes 9 s to catch up.
      FULCRUM_SIM_SPEEDUP: '400',
      FULCRUM_SIM_HISTORY_HOURS: '1',
      FULCRUM_SIM_DURATION_SECONDS: '12',
    };
    const metrics = async () => (await request(ingestion.getHttpServer()).get('/metrics')).text;
    const http = request(backlog.getHttpServer());
    const latestStatus = async () => {
      const body = (await http.get('/api/v1/models').set('X-API-Key', KEYS.viewer)).body as {
        items: { modelId: string; status: { at: string } | null }[];
      };
      return body.items
        .map((m) => m.status?.at ?? '')
        .sort()
        .at(-1);
    };

    const sentBy = (output: string) =>
      Number(/"sent":(\d+)[^\n]*simulator stopped/.exec(output)![1]);
    const sent1 = sentBy(await simulate(env));
    const first = await waitFor('the first run folded, its statuses in the backlog', async () => {
      const m = await metrics();
      return consumed(m) === sent1 && (await latestStatus()) ? m : undefined;
    });
    expect(late(first)).toBe(0);

    const output = await simulate(env);
    expect(output).toMatch(/continuing from there/);
    const sent2 = sentBy(output);
    const second = await waitFor('the second run folded', async () => {
      const m = await metrics();
      return consumed(m) === sent1 + sent2 && m;
    });
    // A second run that started an hour back again would send thousands of records behind the
    // models' watermarks.
    expect(late(second)).toBe(0);
  });
});
