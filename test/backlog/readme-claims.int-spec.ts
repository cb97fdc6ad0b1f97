import type { INestApplication } from '@nestjs/common';
import type { Db, MongoClient } from 'mongodb';
import request from 'supertest';
import { KEYS, startBacklog } from '../support/backlog-app';
import { waitFor } from '../support/kafka-test-kit';

/** Claims the README makes about the backlog API that no other test checks. */
const feature = {
  backlog: 'capability',
  quadrant: 'critical-feature',
  title: 'Checkout one-click',
  description: 'Returning buyers pay with one click',
  linkedModels: [],
  scores: { userImpact: 8, systemRisk: 3, timeCriticality: 6, effort: 8, confidence: 0.7 },
};
const editor = { 'X-API-Key': KEYS.editor };
const admin = { 'X-API-Key': KEYS.admin };

describe('README claims: asOf on ceremonies, 409 for a concurrent writer, projection poison policy', () => {
  const started: { app: INestApplication; client: MongoClient }[] = [];
  afterAll(async () => {
    for (const s of started) {
      await s.app.close();
      await s.client.close();
    }
  });
  async function backlog(env: Record<string, string> = {}) {
    const s = await startBacklog({ env });
    started.push(s);
    return s;
  }

  it('?asOf= on a ceremony gives its state at that time, without an ETag', async () => {
    const { app } = await backlog();
    const http = request(app.getHttpServer());
    const scheduled = await http
      .post('/api/v1/ceremonies')
      .set(editor)
      .send({ title: 'Sprint 9', scheduledFor: '2026-03-02T09:00:00Z' })
      .expect(201);
    const id = scheduled.body.ceremonyId as string;
    await new Promise((r) => setTimeout(r, 20)); // two distinct recordedAt instants
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await http.post(`/api/v1/ceremonies/${id}/open`).set(editor).expect(200);
    const then = await http
      .get(`/api/v1/ceremonies/${id}`)
      .query({ asOf: between })
      .set(editor)
      .expect(200);
    expect(then.body).toMatchObject({ status: 'scheduled', version: 1, asOf: between });
    expect(then.headers.etag).toBeUndefined();
    const now = await http.get(`/api/v1/ceremonies/${id}`).set(editor).expect(200);
    expect(now.body).toMatchObject({ status: 'open', version: 2 });
    expect(now.headers.etag).toBe('"2"');
    await http
      .get(`/api/v1/ceremonies/${id}`)
      .query({ asOf: '2020-01-01T00:00:00Z' })
      .set(editor)
      .expect(404);
  });

  it('without If-Match, a writer that loses a race gets 409 problem+json and nothing is lost', async () => {
    const { app } = await backlog();
    const http = request(app.getHttpServer());
    const item = (await http.post('/api/v1/items').set(editor).send(feature).expect(201)).body as {
      itemId: string;
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http
          .put(`/api/v1/items/${item.itemId}/scores`)
          .set(editor)
          .send({ scores: { ...feature.scores, effort: 10 + i }, rationale: `estimate ${i}` }),
      ),
    );
    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect([...byStatus.keys()].sort()).toEqual([200, 409]);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body.type).toBe('/problems/concurrent-modification');
    }
    // Every 200 is one event in the history, at consecutive versions after the proposal.
    const history = await http.get(`/api/v1/items/${item.itemId}/history`).set(editor).expect(200);
    const versions = (history.body.items as { version: number }[]).map((e) => e.version);
    expect(versions).toEqual(Array.from({ length: 1 + byStatus.get(200)! }, (_, i) => i + 1));
  });

  async function poisonOneItem(db: Db, app: INestApplication): Promise<string> {
    const http = request(app.getHttpServer());
    const item = (await http.post('/api/v1/items').set(editor).send(feature).expect(201)).body as {
      itemId: string;
    };
    const streamId = `item-${item.itemId}`;
    // A second commit whose event no evolve can apply (a rescore without scores): the shape a
    // bug or a hand edit could leave behind, and no upcaster fixes.
    const commits = db.collection<{ _id: string }>('event_commits');
    const first = (await commits.findOne({ _id: `${streamId}@1` })) as unknown as {
      events: { recordedAt: Date; actor: string }[];
    };
    await commits.insertOne({
      _id: `${streamId}@2`,
      streamId,
      firstVersion: 2,
      lastVersion: 3,
      idem: `poison-${item.itemId}`,
      committedAt: new Date(),
      events: [
        {
          eventId: `poison-${item.itemId}`,
          type: 'ItemRescored',
          schemaVersion: 1,
          data: { rationale: 'no scores' },
          recordedAt: first.events[0].recordedAt,
          actor: 'hand-edit',
        },
        {
          eventId: `after-${item.itemId}`,
          type: 'ItemStatusChanged',
          schemaVersion: 1,
          data: {
            from: 'proposed',
            to: 'ready',
            rationale: 'groomed',
            ceremonyId: null,
            at: '2026-03-01T00:00:00.000Z',
          },
          recordedAt: first.events[0].recordedAt,
          actor: 'hand-edit',
        },
      ],
    } as never);
    const job = await http.post('/api/v1/admin/projections/rebuild').set(admin).expect(202);
    await waitFor('the rebuild job', async () => {
      const r = await http.get(job.headers.location).set(admin);
      return r.body.state === 'succeeded' && r.body;
    });
    return item.itemId;
  }

  const poisonedTotal = async (app: INestApplication) => {
    const text = (await request(app.getHttpServer()).get('/metrics')).text;
    return Number(/^fulcrum_backlog_projection_poisoned_events_total (\d+)$/m.exec(text)?.[1]);
  };

  it('poison policy skip: the projection goes on past the event, dead-letters and counts it', async () => {
    const { app, db } = await backlog({ FULCRUM_PROJECTION_POISON_POLICY: 'skip' });
    const itemId = await poisonOneItem(db, app);
    const view = await request(app.getHttpServer())
      .get(`/api/v1/items/${itemId}`)
      .set(editor)
      .expect(200);
    expect(view.body).toMatchObject({ status: 'ready', version: 3 });
    const letters = await db.collection('projection_dead_letters').find({}).toArray();
    expect(letters).toEqual([
      expect.objectContaining({ _id: `poison-${itemId}`, version: 2, policy: 'skip' }),
    ]);
    expect(await poisonedTotal(app)).toBe(1);
  });

  it('poison policy stop: the projection stays at the event before, dead-letters and counts it', async () => {
    const { app, db } = await backlog({ FULCRUM_PROJECTION_POISON_POLICY: 'stop' });
    const itemId = await poisonOneItem(db, app);
    const view = await request(app.getHttpServer())
      .get(`/api/v1/items/${itemId}`)
      .set(editor)
      .expect(200);
    expect(view.body).toMatchObject({ status: 'proposed', version: 1 });
    const letters = await db.collection('projection_dead_letters').find({}).toArray();
    expect(letters).toEqual([
      expect.objectContaining({ _id: `poison-${itemId}`, version: 2, policy: 'stop' }),
    ]);
    expect(await poisonedTotal(app)).toBe(1);
  });
});
