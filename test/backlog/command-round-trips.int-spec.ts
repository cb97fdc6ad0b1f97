import type { INestApplication } from '@nestjs/common';
import { Collection, type MongoClient } from 'mongodb';
import request from 'supertest';
import { KEYS, startBacklog } from '../support/backlog-app';

/**
 * What a command costs in database round trips, counted at the driver (every mongoose call ends in
 * one of these methods of the driver's Collection). A first try with an Idempotency-Key is not
 * preceded by a lookup of the key: the unique index on the key refuses a repeat, and only then is
 * the original looked up. The retries below show that nothing is lost by it.
 */
const METHODS = [
  'insertOne',
  'insertMany',
  'findOne',
  'find',
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'deleteOne',
  'aggregate',
  'countDocuments',
  'bulkWrite',
] as const;
type Method = (typeof METHODS)[number];

const proposal = {
  backlog: 'reliability',
  quadrant: 'model-hygiene',
  title: 'Retrain on fresh labels',
  description: 'Accuracy fell below 85 %',
  linkedModels: ['fraud-scorer'],
  scores: { userImpact: 7, systemRisk: 8, timeCriticality: 6, effort: 5, confidence: 0.8 },
};

describe('backlog: database round trips per command', () => {
  let app: INestApplication;
  let client: MongoClient;
  let http: ReturnType<typeof request>;
  const editor = { 'X-API-Key': KEYS.editor };
  const originals = new Map<Method, (...args: unknown[]) => unknown>();
  let calls: string[] | null = null;
  let nested = 0;

  beforeAll(async () => {
    const proto = Collection.prototype as unknown as Record<Method, (...a: unknown[]) => unknown>;
    for (const method of METHODS) {
      const original = proto[method];
      originals.set(method, original);
      proto[method] = function (this: Collection, ...args: unknown[]) {
        // The driver's findOne is a find inside: count the outer call only.
        if (nested === 0) calls?.push(`${method} ${this.collectionName}`);
        nested++;
        try {
          return original.apply(this, args);
        } finally {
          nested--;
        }
      };
    }
    ({ app, client } = await startBacklog());
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    const proto = Collection.prototype as unknown as Record<Method, unknown>;
    for (const [method, original] of originals) proto[method] = original;
    await app.close();
    await client.close();
  });

  /** The command path's calls during `run`, in order (background reads of other collections left out). */
  async function roundTrips<T>(run: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
    calls = [];
    try {
      const result = await run();
      return {
        result,
        calls: calls.filter((c) => c.endsWith(' event_commits') || c.endsWith(' items_view')),
      };
    } finally {
      calls = null;
    }
  }

  it('a proposal with an Idempotency-Key: the commit and the read model, nothing else', async () => {
    const { calls: made } = await roundTrips(() =>
      http
        .post('/api/v1/items')
        .set(editor)
        .set('Idempotency-Key', 'round-trips-0001')
        .send(proposal)
        .expect(201),
    );
    expect(made).toEqual(['insertOne event_commits', 'insertOne items_view']);
  });

  it('a transition on an item this instance wrote: the commit and the read-model update', async () => {
    const created = await http.post('/api/v1/items').set(editor).send(proposal).expect(201);
    const { calls: made } = await roundTrips(() =>
      http
        .post(`/api/v1/items/${created.body.itemId}/transitions`)
        .set(editor)
        .send({ to: 'ready', rationale: 'groomed' })
        .expect(200),
    );
    expect(made).toEqual(['insertOne event_commits', 'updateOne items_view']);
  });

  it('a retried proposal, after the item moved on, still answers the original item', async () => {
    const key = 'round-trips-0002';
    const first = await http
      .post('/api/v1/items')
      .set(editor)
      .set('Idempotency-Key', key)
      .send(proposal)
      .expect(201);
    await http
      .post(`/api/v1/items/${first.body.itemId}/transitions`)
      .set(editor)
      .send({ to: 'ready', rationale: 'groomed' })
      .expect(200);
    const { result: again, calls: made } = await roundTrips(() =>
      http.post('/api/v1/items').set(editor).set('Idempotency-Key', key).send(proposal).expect(200),
    );
    expect(again.body).toMatchObject({ itemId: first.body.itemId, status: 'ready', version: 2 });
    expect(again.headers['idempotent-replayed']).toBe('true');
    // Refused by the key's unique index, then the original is looked up and read.
    expect(made).toEqual([
      'insertOne event_commits',
      'findOne event_commits',
      'find event_commits',
    ]);
    await http
      .post('/api/v1/items')
      .set(editor)
      .set('Idempotency-Key', key)
      .send({ ...proposal, title: 'Something else' })
      .expect(422);
  });

  it('a retried transition whose If-Match is now stale answers the item, not 412', async () => {
    const created = await http.post('/api/v1/items').set(editor).send(proposal).expect(201);
    const transition = () =>
      http
        .post(`/api/v1/items/${created.body.itemId}/transitions`)
        .set(editor)
        .set('If-Match', '"1"')
        .set('Idempotency-Key', 'round-trips-0003')
        .send({ to: 'ready', rationale: 'groomed' });
    await transition().expect(200);
    const again = await transition().expect(200);
    expect(again.body).toMatchObject({ itemId: created.body.itemId, status: 'ready', version: 2 });
    await http
      .post(`/api/v1/items/${created.body.itemId}/transitions`)
      .set(editor)
      .set('If-Match', '"1"')
      .send({ to: 'committed', rationale: 'no key: a stale If-Match is refused' })
      .expect(412);
  });
});
