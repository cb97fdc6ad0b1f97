import type { INestApplication } from '@nestjs/common';
import type { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { prediction, quality } from '@fulcrum/testing';
import { KEYS, startBacklog } from './support/backlog-app';
import { startIngestion } from './support/ingestion-app';
import {
  closeTestProducer,
  freshTopics,
  produceTelemetry,
  reliabilityTopic,
  waitFor,
} from './support/kafka-test-kit';

/**
 * The thin slice end to end, on the real servers: telemetry produced by an independent client →
 * metrics-ingestion → reliability event on Kafka → backlog (via @nestjs/microservices) → event
 * store → GET /api/v1/items shows a model-hygiene item → the backlog's /metrics counts it.
 */
describe('end-to-end slice: low accuracy becomes a model-hygiene item', () => {
  let ingestion: INestApplication;
  let backlog: INestApplication;
  let client: MongoClient;

  beforeAll(async () => {
    const topics = {
      ...(await freshTopics()),
      reliabilityEvents: await reliabilityTopic(),
    };
    ({ app: ingestion } = await startIngestion(topics));
    ({ app: backlog, client } = await startBacklog({ consume: true }));
    (globalThis as { telemetryTopic?: string }).telemetryTopic = topics.telemetry;
  });
  afterAll(async () => {
    await ingestion.close();
    await backlog.close();
    await client.close();
    await closeTestProducer();
  });

  it('accuracy 0.80 over 250 labeled predictions → item, blocking adoption, counted in the gauges', async () => {
    const modelId = `slice-${randomUUID().slice(0, 8)}`;
    const t0 = Date.UTC(2026, 1, 1);
    await produceTelemetry((globalThis as { telemetryTopic?: string }).telemetryTopic!, [
      quality(modelId, t0, t0 + 600_000, 250, 205),
      // Accuracy is judged at the next 5-minute boundary once event time has passed it by the
      // allowed lateness (2 min): any later record of the model moves that clock.
      prediction(modelId, t0 + 17 * 60_000),
    ]);
    const http = request(backlog.getHttpServer());
    const page = await waitFor('the model-hygiene item', async () => {
      const res = await http
        .get('/api/v1/items')
        .query({ model: modelId, quadrant: 'model-hygiene' })
        .set('X-API-Key', KEYS.viewer);
      return res.status === 200 && res.body.items.length === 1 ? res.body : undefined;
    });
    expect(page.items[0]).toMatchObject({
      backlog: 'reliability',
      status: 'proposed',
      reliability: {
        modelId,
        rule: 'accuracy',
        severity: 'warning',
        observed: 0.82,
        blocksAdoption: true,
        open: true,
      },
    });
    const metrics = (await http.get('/metrics').expect(200)).text;
    expect(metrics.split('\n')).toContain(
      `fulcrum_model_open_incidents{model="${modelId}",rule="accuracy",severity="warning"} 1`,
    );
    expect(metrics).toMatch(
      /^fulcrum_backlog_items\{backlog="reliability",quadrant="model-hygiene",status="proposed"\} [1-9]\d*$/m,
    );
    const ingestionMetrics = (await request(ingestion.getHttpServer()).get('/metrics')).text;
    expect(ingestionMetrics).toMatch(
      /^fulcrum_ingestion_reliability_events_emitted_total\{rule="accuracy",transition="opened"\} 1$/m,
    );
  });
});
