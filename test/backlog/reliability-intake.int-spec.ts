import type { INestApplication } from '@nestjs/common';
import { deterministicId, type ReliabilityEvent } from '@fulcrum/contracts';
import type { Db, MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { KEYS, startBacklog } from '../support/backlog-app';
import {
  closeTestProducer,
  produceTelemetry,
  reliabilityTopic,
  waitFor,
} from '../support/kafka-test-kit';

function event(
  modelId: string,
  incident: string,
  type: ReliabilityEvent['type'],
  p: Partial<ReliabilityEvent> = {},
): ReliabilityEvent {
  return {
    schema: 'fulcrum.reliability/v1',
    eventId: deterministicId(incident, type, p.severity ?? 'critical'),
    type,
    incidentId: deterministicId(incident),
    modelId,
    modelVersion: 'v1',
    rule: type.split('.')[0] as ReliabilityEvent['rule'],
    severity: 'critical',
    observed: 0.7,
    threshold: 0.8,
    window: { start: '2026-01-05T00:00:00.000Z', end: '2026-01-05T01:00:00.000Z' },
    evidence: {},
    eventTime: '2026-01-05T01:00:00.000Z',
    emittedAt: new Date().toISOString(),
    ...p,
  };
}

const send = (events: (ReliabilityEvent | string)[], key: string) =>
  produceTelemetry(
    process.env.FULCRUM_TOPIC_RELIABILITY_EVENTS!,
    events.map((e) => ({ key, value: typeof e === 'string' ? e : JSON.stringify(e) })),
  );

describe('reliability events become model-hygiene items (Kafka → @nestjs/microservices → MongoDB)', () => {
  let app: INestApplication;
  let db: Db;
  let client: MongoClient;

  beforeAll(async () => {
    await reliabilityTopic();
    ({ app, db, client } = await startBacklog({ consume: true }));
    await waitFor(
      'consumer ready',
      async () => (await request(app.getHttpServer()).get('/health/ready')).status === 200,
    );
  });
  afterAll(async () => {
    await app.close();
    await client.close();
    await closeTestProducer();
  });

  it('opens one item per incident, de-duplicates redeliveries, escalates, records the resolution; malformed events are parked', async () => {
    const model = `intake-${randomUUID().slice(0, 8)}`;
    const incident = randomUUID();
    const opened = event(model, incident, 'accuracy.opened', {
      severity: 'warning',
      observed: 0.83,
      threshold: 0.85,
    });
    const updated = event(model, incident, 'accuracy.updated', {
      severity: 'critical',
      observed: 0.7,
    });
    const resolved = event(model, incident, 'accuracy.resolved', { observed: 0.9 });
    await send(
      [opened, opened, '{"schema":"fulcrum.reliability/v1","eventId":"nope"}', updated, opened],
      model,
    );

    const itemId = `rel-${opened.incidentId}`;
    const http = request(app.getHttpServer());
    const item = await waitFor('item escalated', async () => {
      const res = await http.get(`/api/v1/items/${itemId}`).set('X-API-Key', KEYS.viewer);
      return res.status === 200 && res.body.reliability?.severity === 'critical'
        ? res.body
        : undefined;
    });
    expect(item).toMatchObject({
      backlog: 'reliability',
      quadrant: 'model-hygiene',
      linkedModels: [model],
      reliability: { open: true, blocksAdoption: true, rule: 'accuracy' },
    });
    expect(item.reliability.eventIds).toEqual([opened.eventId, updated.eventId]);

    const parked = await waitFor('malformed event parked', async () =>
      db.collection('parked_reliability_events').findOne({ payload: /nope/ }),
    );
    expect(parked!.reason).toMatch(/must have required property/);

    const models = (await http.get('/api/v1/models').set('X-API-Key', KEYS.viewer).expect(200)).body
      .items;
    expect(models.find((m: { modelId: string }) => m.modelId === model)).toMatchObject({
      health: 0,
      blocksAdoption: true,
    });
    const allocation = (
      await http.get('/api/v1/allocation').set('X-API-Key', KEYS.viewer).expect(200)
    ).body;
    expect(allocation.recommended.blockingModels).toBeGreaterThanOrEqual(1);
    const metrics = (await http.get('/metrics')).text;
    expect(metrics).toContain(
      `fulcrum_model_open_incidents{model="${model}",rule="accuracy",severity="critical"} 1`,
    );
    expect(metrics).toContain(`fulcrum_model_health_ratio{model="${model}"} 0`);

    await send([resolved, resolved], model);
    const done = await waitFor('resolution recorded', async () => {
      const res = await http.get(`/api/v1/items/${itemId}`).set('X-API-Key', KEYS.viewer);
      return res.body.reliability?.open === false ? res.body : undefined;
    });
    expect(done.reliability.eventIds).toEqual([opened.eventId, updated.eventId, resolved.eventId]);
    expect(
      await db.collection('event_commits').countDocuments({ streamId: `item-${itemId}` }),
    ).toBe(3);
  });

  it('answers every command on an item in the shape GET gives: with impact and its explanation', async () => {
    const model = `shape-${randomUUID().slice(0, 8)}`;
    const opened = event(model, randomUUID(), 'error_budget.opened', {
      observed: 20,
      threshold: 14.4,
    });
    await send([opened], model);
    const http = request(app.getHttpServer());
    const editor = { 'X-API-Key': KEYS.editor };
    const id = `rel-${opened.incidentId}`;
    await waitFor('the item', async () => (await http.get(`/api/v1/items/${id}`).set(editor)).ok);
    const before = await http.get(`/api/v1/items/${id}`).set(editor).expect(200);
    expect(before.body.impact.derived.explanation.length).toBeGreaterThan(0);

    const rescored = await http
      .put(`/api/v1/items/${id}/scores`)
      .set({ ...editor, 'If-Match': before.headers.etag })
      .send({
        scores: { userImpact: 9, systemRisk: 9, timeCriticality: 9, effort: 2, confidence: 0.9 },
        rationale: 'the regulator reads this model',
      })
      .expect(200);
    const after = await http.get(`/api/v1/items/${id}`).set(editor).expect(200);
    expect(rescored.body).toEqual(after.body);
    expect(rescored.body.impact).toMatchObject({ effective: 'override' });
    expect(rescored.body.impact.derived.explanation.length).toBeGreaterThan(0);

    const moved = await http
      .post(`/api/v1/items/${id}/transitions`)
      .set(editor)
      .send({ to: 'ready', rationale: 'groomed' })
      .expect(200);
    const again = await http.get(`/api/v1/items/${id}`).set(editor).expect(200);
    expect(moved.body).toEqual(again.body);
  });
});
