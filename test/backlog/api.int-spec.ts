import type { INestApplication } from '@nestjs/common';
import type { Db, MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { KEYS, startBacklog } from '../support/backlog-app';
import { waitFor } from '../support/kafka-test-kit';

const feature = {
  backlog: 'capability',
  quadrant: 'critical-feature',
  title: 'CSV export',
  description: 'Let analysts export predictions',
  linkedModels: ['fraud-scorer'],
  scores: { userImpact: 8, systemRisk: 3, timeCriticality: 6, effort: 8, confidence: 0.9 },
};
const hygiene = {
  ...feature,
  backlog: 'reliability',
  quadrant: 'model-hygiene',
  title: 'Retrain pipeline',
  scores: { ...feature.scores, effort: 5 },
};

describe('backlog REST API on the real server', () => {
  let app: INestApplication;
  let db: Db;
  let client: MongoClient;
  let http: ReturnType<typeof request>;
  const as = (key: string) => ({ 'X-API-Key': key });
  const editor = as(KEYS.editor);
  const commits = () => db.collection('event_commits').countDocuments();

  beforeAll(async () => {
    ({ app, db, client } = await startBacklog());
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
    await client.close();
  });

  it('runs a full ceremony from scheduling to closing, moving the items it decides on', async () => {
    const f = (await http.post('/api/v1/items').set(editor).send(feature).expect(201)).body;
    const h = (await http.post('/api/v1/items').set(editor).send(hygiene).expect(201)).body;
    expect(f.priorityScore).toBe(1.91);
    const c = (
      await http
        .post('/api/v1/ceremonies')
        .set(editor)
        .send({ title: 'Sprint 12 joint prioritization', scheduledFor: '2026-03-02T09:00:00Z' })
        .expect(201)
    ).body;
    expect(c).toMatchObject({ status: 'scheduled', cadenceDays: 14, facilitator: 'alice' });
    const opened = (
      await http.post(`/api/v1/ceremonies/${c.ceremonyId}/open`).set(editor).expect(200)
    ).body;
    expect(opened.snapshot.recommendedReliabilityShare).toBe(20);
    await http
      .post(`/api/v1/ceremonies/${c.ceremonyId}/decisions`)
      .set(editor)
      .send({ itemId: h.itemId, decision: 'commit', rationale: 'health first' })
      .expect(200);
    await http
      .post(`/api/v1/ceremonies/${c.ceremonyId}/decisions`)
      .set(editor)
      .send({ itemId: f.itemId, decision: 'defer', rationale: 'after the retrain' })
      .expect(200);
    const refused = await http
      .post(`/api/v1/ceremonies/${c.ceremonyId}/close`)
      .set(editor)
      .send({})
      .expect(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toMatch(/no capacity allocation/);
    const uneven = {
      byBacklog: { capability: 60, reliability: 30 },
      byQuadrant: {
        'critical-feature': 50,
        'model-hygiene': 30,
        'technical-debt': 10,
        innovation: 10,
      },
    };
    // An allocation that could never close is refused when written, naming the wrong sum.
    const unevenRefused = await http
      .put(`/api/v1/ceremonies/${c.ceremonyId}/allocation`)
      .set(editor)
      .send(uneven)
      .expect(422);
    expect(unevenRefused.body.type).toBe('/problems/allocation-does-not-sum');
    expect(unevenRefused.body.problems).toEqual(['allocation per backlog sums to 90 %, not 100 %']);
    await http
      .put(`/api/v1/ceremonies/${c.ceremonyId}/allocation`)
      .set(editor)
      .send({ ...uneven, byBacklog: { capability: 70, reliability: 30 } })
      .expect(200);
    const closed = (
      await http
        .post(`/api/v1/ceremonies/${c.ceremonyId}/close`)
        .set(editor)
        .send({ rationale: 'agreed' })
        .expect(200)
    ).body;
    expect(closed.status).toBe('closed');
    expect((await http.get(`/api/v1/items/${h.itemId}`).set(editor).expect(200)).body.status).toBe(
      'committed',
    );
    expect((await http.get(`/api/v1/items/${f.itemId}`).set(editor).expect(200)).body.status).toBe(
      'deferred',
    );
    const allocation = (await http.get('/api/v1/allocation').set(editor).expect(200)).body;
    expect(allocation.planned).toMatchObject({
      ceremonyId: c.ceremonyId,
      byBacklog: { reliability: 30 },
    });
    expect(allocation.actual.byBacklog).toMatchObject({ reliability: 100, capability: 0 });
    expect(allocation.deviation.plannedMinusRecommendedPercent).toBe(10);
    const history = (await http.get(`/api/v1/items/${f.itemId}/history`).set(editor).expect(200))
      .body;
    expect(history.items.map((e: { type: string }) => e.type)).toEqual([
      'ItemProposed',
      'ItemStatusChanged',
    ]);
    expect(history.items[1]).toMatchObject({
      actor: 'alice',
      data: { to: 'deferred', ceremonyId: c.ceremonyId, rationale: 'after the retrain' },
    });
    const metrics = (await http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      /fulcrum_allocation_backlog_share_ratio\{backlog="reliability",basis="planned"\} 0.3/,
    );
    expect(metrics).toMatch(
      /fulcrum_allocation_backlog_share_ratio\{backlog="reliability",basis="recommended"\} 0.2/,
    );
    expect(metrics).toMatch(
      /fulcrum_backlog_items\{backlog="capability",quadrant="critical-feature",status="deferred"\} 1/,
    );
    expect(metrics).toMatch(/fulcrum_ceremony_last_closed_timestamp_seconds \d+/);
  });

  it('412 on a stale If-Match, 409 for a conflicting transition; the ETag is the stream version', async () => {
    const res = await http.post('/api/v1/items').set(editor).send(feature).expect(201);
    expect(res.headers.etag).toBe('"1"');
    const id = res.body.itemId;
    const ok = await http
      .post(`/api/v1/items/${id}/transitions`)
      .set(editor)
      .set('If-Match', '"1"')
      .send({ to: 'ready', rationale: 'groomed' })
      .expect(200);
    expect(ok.headers.etag).toBe('"2"');
    const stale = await http
      .put(`/api/v1/items/${id}/scores`)
      .set(editor)
      .set('If-Match', '"1"')
      .send({ scores: feature.scores, rationale: 'new info' })
      .expect(412);
    expect(stale.body).toMatchObject({
      type: '/problems/precondition-failed',
      status: 412,
      currentVersion: 2,
    });
    await http
      .post(`/api/v1/items/${id}/transitions`)
      .set(editor)
      .send({ to: 'done', rationale: 'skip ahead' })
      .expect(409);
  });

  it('50 concurrent conflicting commands on one item: exactly one per version wins, the rest 412', async () => {
    const id = (await http.post('/api/v1/items').set(editor).send(feature).expect(201)).body.itemId;
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        http
          .put(`/api/v1/items/${id}/scores`)
          .set(editor)
          .set('If-Match', '"1"')
          .send({ scores: { ...feature.scores, effort: 1 + i }, rationale: `estimate ${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const history = (await http.get(`/api/v1/items/${id}/history`).set(editor).expect(200)).body
      .items;
    expect(history).toHaveLength(2);
  });

  it('two instances on one database: a stale aggregate cache loses no update and honours If-Match', async () => {
    const other = await startBacklog({ database: db.databaseName });
    try {
      const there = request(other.app.getHttpServer());
      // Instance A creates the item (and caches it at version 1); B moves it to version 2.
      const id = (await http.post('/api/v1/items').set(editor).send(feature).expect(201)).body
        .itemId;
      await there
        .post(`/api/v1/items/${id}/transitions`)
        .set(editor)
        .send({ to: 'ready', rationale: 'groomed elsewhere' })
        .expect(200);
      // A's cache says version 1: an If-Match on the real version must still succeed...
      const rescored = await http
        .put(`/api/v1/items/${id}/scores`)
        .set(editor)
        .set('If-Match', '"2"')
        .send({ scores: { ...feature.scores, effort: 3 }, rationale: 'smaller than thought' })
        .expect(200);
      expect(rescored.body).toMatchObject({ version: 3, status: 'ready' });
      // ...and one on the version A had cached is refused.
      await there
        .post(`/api/v1/items/${id}/transitions`)
        .set(editor)
        .send({ to: 'committed', rationale: 'taken on' })
        .expect(200);
      await http
        .put(`/api/v1/items/${id}/scores`)
        .set(editor)
        .set('If-Match', '"3"')
        .send({ scores: feature.scores, rationale: 'back again' })
        .expect(412);
      // Without If-Match, A decides on the current state, not its cached one.
      const moved = await http
        .post(`/api/v1/items/${id}/transitions`)
        .set(editor)
        .send({ to: 'in-progress', rationale: 'started' })
        .expect(200);
      expect(moved.body).toMatchObject({ version: 5, status: 'in-progress' });
      const history = (await http.get(`/api/v1/items/${id}/history`).set(editor).expect(200)).body
        .items as { version: number }[];
      expect(history.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await other.app.close();
      await other.client.close();
    }
  });

  it('an Idempotency-Key retry returns the original item and writes nothing', async () => {
    const first = await http
      .post('/api/v1/items')
      .set(editor)
      .set('Idempotency-Key', 'retry-test-0001')
      .send(feature)
      .expect(201);
    const before = await commits();
    const again = await http
      .post('/api/v1/items')
      .set(editor)
      .set('Idempotency-Key', 'retry-test-0001')
      .send(feature)
      .expect(200);
    expect(again.body.itemId).toBe(first.body.itemId);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await commits()).toBe(before);
    const reused = await http
      .post('/api/v1/items')
      .set(editor)
      .set('Idempotency-Key', 'retry-test-0001')
      .send({ ...feature, title: 'Something else' })
      .expect(422);
    expect(reused.body.type).toBe('/problems/idempotency-key-reused');
  });

  it('time travel: ?asOf= shows the item as it was', async () => {
    const created = (await http.post('/api/v1/items').set(editor).send(feature).expect(201)).body;
    await new Promise((r) => setTimeout(r, 50));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 50));
    await http
      .post(`/api/v1/items/${created.itemId}/transitions`)
      .set(editor)
      .send({ to: 'ready', rationale: 'groomed' })
      .expect(200);
    const then = (
      await http
        .get(`/api/v1/items/${created.itemId}`)
        .query({ asOf: between })
        .set(editor)
        .expect(200)
    ).body;
    expect(then).toMatchObject({ status: 'proposed', version: 1 });
    expect(
      (await http.get(`/api/v1/items/${created.itemId}`).set(editor).expect(200)).body.status,
    ).toBe('ready');
    await http
      .get(`/api/v1/items/${created.itemId}`)
      .query({ asOf: '2000-01-01T00:00:00Z' })
      .set(editor)
      .expect(404);
  });

  /** Starts a rebuild job (202 + Location) and follows it to its report. */
  async function rebuild(): Promise<{ streams: number; documentsChanged: number }> {
    const started = await http
      .post('/api/v1/admin/projections/rebuild')
      .set(as(KEYS.admin))
      .expect(202);
    expect(started.headers.location).toBe(
      `/api/v1/admin/projections/rebuilds/${started.body.jobId}`,
    );
    const job = await waitFor('the rebuild job', async () => {
      const res = await http.get(started.headers.location).set(as(KEYS.admin)).expect(200);
      return res.body.state === 'running' ? undefined : res.body;
    });
    expect(job).toMatchObject({ state: 'succeeded', error: null });
    return job.report;
  }

  it('a rebuild from the events gives identical read models', async () => {
    const report = await rebuild();
    expect(report.streams).toBeGreaterThan(5);
    expect(report.documentsChanged).toBe(0);
    // now damage a read model: the rebuild restores it
    const anyItem = await db.collection('items_view').findOne({});
    await db
      .collection('items_view')
      .updateOne({ _id: anyItem!._id }, { $set: { title: 'tampered' } });
    const repaired = await rebuild();
    expect(repaired.documentsChanged).toBe(1);
    expect((await db.collection('items_view').findOne({ _id: anyItem!._id }))!.title).toBe(
      anyItem!.title,
    );
  });

  it('authentication: 401 without or with a wrong key, 403 for a role too low; health and metrics stay open', async () => {
    expect((await http.get('/api/v1/items').expect(401)).body.type).toBe('/problems/unauthorized');
    await http.get('/api/v1/items').set(as('not-a-real-key-000000')).expect(401);
    await http.get('/api/v1/items').set('Authorization', `Bearer ${KEYS.viewer}`).expect(200);
    const before = await commits();
    expect(
      (await http.post('/api/v1/items').set(as(KEYS.viewer)).send(feature).expect(403)).body.type,
    ).toBe('/problems/forbidden');
    await http.post('/api/v1/admin/projections/rebuild').set(editor).expect(403);
    await http.get(`/api/v1/admin/projections/rebuilds/${randomUUID()}`).set(editor).expect(403);
    await http
      .get(`/api/v1/admin/projections/rebuilds/${randomUUID()}`)
      .set(as(KEYS.admin))
      .expect(404);
    expect(await commits()).toBe(before);
    await http.get('/health/live').expect(200);
    await http.get('/metrics').expect(200);
    await http.get('/docs/openapi.json').expect(200);
  });

  // 400: the request is malformed (schema); 422: well-formed, but the domain refuses it.
  it.each([
    [
      'an unknown field',
      { ...feature, priority: 'high' },
      400,
      /property priority should not exist/,
    ],
    ['a missing field', { ...feature, title: undefined }, 400, /title/],
    ['a bad enum', { ...feature, quadrant: 'moonshots' }, 400, /quadrant must be one of/],
    [
      'an out-of-range score',
      { ...feature, scores: { ...feature.scores, effort: 0 } },
      400,
      /effort must not be less than 1/,
    ],
    ['a wrong type', { ...feature, linkedModels: 'fraud' }, 400, /linkedModels must be an array/],
    ['an operator key', { ...feature, scores: { $gt: 1 } }, 400, /\$gt is not allowed/],
    ['a dotted key', { ...feature, 'scores.effort': 1 }, 400, /not allowed/],
    [
      'a quadrant of the other backlog',
      { ...feature, quadrant: 'model-hygiene' },
      422,
      /belongs to the reliability backlog/,
    ],
  ])('rejects %s with problem+json and writes nothing', async (_name, body, status, detail) => {
    const before = await commits();
    const res = await http.post('/api/v1/items').set(editor).send(body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(detail);
    expect(res.body).not.toHaveProperty('stack');
    expect(await commits()).toBe(before);
  });

  it('rejects malformed JSON, oversized bodies and bad query parameters as problem+json', async () => {
    expect(
      (
        await http
          .post('/api/v1/items')
          .set(editor)
          .set('Content-Type', 'application/json')
          .send('{"oops"')
          .expect(400)
      ).body.type,
    ).toBe('/problems/malformed-json');
    expect(
      (
        await http
          .post('/api/v1/items')
          .set(editor)
          .send({ ...feature, description: 'x'.repeat(70_000) })
          .expect(413)
      ).body.type,
    ).toBe('/problems/payload-too-large');
    await http.get('/api/v1/items').query({ limit: 5000 }).set(editor).expect(400);
    await http.get('/api/v1/items').query({ 'status[$ne]': 'x' }).set(editor).expect(400);
    await http.get('/api/v1/items/not-an-id').set(editor).expect(404);
  });

  it('paginates with an opaque cursor', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { items: { itemId: string }[]; nextCursor: string | null } = (
        await http
          .get('/api/v1/items')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(editor)
          .expect(200)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const i of page.items) seen.add(i.itemId);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(await db.collection('items_view').countDocuments());
  });

  it('one ceremony open at a time: a second open is 409 naming the open one; next is the open one', async () => {
    const schedule = async (title: string, scheduledFor: string) =>
      (await http.post('/api/v1/ceremonies').set(editor).send({ title, scheduledFor }).expect(201))
        .body.ceremonyId as string;
    const first = await schedule('Sprint 30', '2026-06-01T09:00:00Z');
    const second = await schedule('Sprint 29 (late)', '2026-05-18T09:00:00Z');
    await http.post(`/api/v1/ceremonies/${first}/open`).set(editor).expect(200);
    const refused = await http.post(`/api/v1/ceremonies/${second}/open`).set(editor).expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: '/problems/another-ceremony-open' });
    expect(refused.body.detail).toBe(
      `ceremony ${first} ("Sprint 30") is open; close it before opening another`,
    );
    expect(
      (await http.get(`/api/v1/ceremonies/${second}`).set(editor).expect(200)).body.status,
    ).toBe('scheduled');
    const brief = await http.get('/api/v1/ceremonies/next/brief').set(editor).expect(200);
    expect(brief.body.ceremony.ceremonyId).toBe(first);
  });
});
