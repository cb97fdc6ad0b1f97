import { Registry } from 'prom-client';
import type { Connection } from 'mongoose';
import type { BacklogConfig } from '../../config/backlog.config';
import { itemStream } from '../../domain/streams';
import type { EventStoreRepository } from '../../event-store/event-store.repository';
import type { RecordedEvent } from '../../event-store/event-store.types';
import { InMemoryEventStore } from '../../event-store/in-memory-event-store.testing';
import { BacklogMetrics } from '../../observability/backlog-metrics';
import { ITEMS_VIEW } from '../items/items.read-model';
import { PROJECTION_DEAD_LETTERS } from './projection.collections';
import { Projector } from './projector.service';

type Doc = Record<string, unknown> & { _id: string };

/** The two MongoDB writes the projector makes, with their unique-_id behaviour. */
class FakeCollection {
  readonly docs = new Map<string, Doc>();
  inserts = 0;
  async insertOne(doc: Doc) {
    await Promise.resolve();
    if (this.docs.has(doc._id))
      throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    this.inserts++;
    this.docs.set(doc._id, structuredClone(doc));
  }
  async updateOne(
    filter: { _id: string; _version?: { $lt: number } },
    update: { $set?: object; $setOnInsert?: object },
    opts: { upsert?: boolean },
  ) {
    await Promise.resolve();
    const current = this.docs.get(filter._id);
    const matches =
      current && (!filter._version || (current._version as number) < filter._version.$lt);
    if (matches) {
      Object.assign(current, structuredClone(update.$set ?? {}));
      return;
    }
    if (!opts.upsert) return;
    // An upsert that matched nothing inserts: a document already there with that _id refuses it.
    if (current) throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    this.docs.set(filter._id, {
      _id: filter._id,
      ...structuredClone(update.$set ?? {}),
      ...structuredClone(update.$setOnInsert ?? {}),
    });
  }
}

function setup(poisonPolicy: 'skip' | 'stop' = 'skip') {
  const collections = new Map<string, FakeCollection>();
  const collection = (name: string) => {
    let c = collections.get(name);
    if (!c) collections.set(name, (c = new FakeCollection()));
    return c;
  };
  const connection = { db: { collection } } as unknown as Connection;
  const store = new InMemoryEventStore();
  const metrics = new BacklogMetrics(new Registry());
  const projector = new Projector(
    store as unknown as EventStoreRepository,
    connection,
    { poisonPolicy } as BacklogConfig,
    metrics,
  );
  return { store, projector, collection, metrics };
}

const proposed = (itemId: string): RecordedEvent => ({
  streamId: itemStream(itemId),
  version: 1,
  eventId: `e-${itemId}-1`,
  type: 'ItemProposed',
  schemaVersion: 1,
  data: {
    itemId,
    backlog: 'capability',
    quadrant: 'innovation',
    title: 'Semantic search',
    description: 'Search by meaning',
    linkedModels: [],
    scores: { userImpact: 6, systemRisk: 2, timeCriticality: 3, effort: 5, confidence: 0.7 },
    rationale: null,
    reliability: null,
    at: '2026-03-01T00:00:00.000Z',
  },
  recordedAt: new Date('2026-03-01T00:00:00.000Z'),
  actor: 'alice',
});
const moved = (itemId: string, version: number, to: string, from: string): RecordedEvent => ({
  ...proposed(itemId),
  version,
  eventId: `e-${itemId}-${version}`,
  type: 'ItemStatusChanged',
  data: { from, to, rationale: 'r', ceremonyId: null, at: '2026-03-02T00:00:00.000Z' },
});

describe('Projector: read models follow the event store, each write conditional on its version', () => {
  it("projects a stream into its read model, keyed by the aggregate's id, with the stream's version", async () => {
    const { projector, collection } = setup();
    await projector.project(itemStream('i-1'), [proposed('i-1')], { created: true });
    const doc = collection(ITEMS_VIEW).docs.get('i-1');
    expect(doc).toMatchObject({
      itemId: 'i-1',
      status: 'proposed',
      _stream: itemStream('i-1'),
      _version: 1,
    });
    expect(collection(ITEMS_VIEW).inserts).toBe(1);
  });

  it('an older version arriving late never overwrites a newer document', async () => {
    const { projector, collection } = setup();
    const events = [proposed('i-2'), moved('i-2', 2, 'ready', 'proposed')];
    await projector.project(itemStream('i-2'), events);
    await projector.project(itemStream('i-2'), events.slice(0, 1));
    expect(collection(ITEMS_VIEW).docs.get('i-2')).toMatchObject({ status: 'ready', _version: 2 });
  });

  it('applying the same stream twice converges on one document (a created insert falls back to the update)', async () => {
    const { projector, collection } = setup();
    const events = [proposed('i-3')];
    await projector.project(itemStream('i-3'), events, { created: true });
    await projector.project(itemStream('i-3'), events, { created: true });
    expect(collection(ITEMS_VIEW).docs.size).toBe(1);
  });

  it('reads the stream from the store when not given its events', async () => {
    const { store, projector, collection } = setup();
    await store.append(itemStream('i-4'), [proposed('i-4')], {
      expectedVersion: 'no-stream',
      actor: 'alice',
    });
    await projector.project(itemStream('i-4'));
    expect(collection(ITEMS_VIEW).docs.get('i-4')).toMatchObject({ status: 'proposed' });
  });

  it.each([
    ['skip', 'ready'],
    ['stop', 'proposed'],
  ] as const)(
    'an event it cannot apply is dead-lettered once and counted; policy %s leaves the item %s',
    async (policy, status) => {
      const { projector, collection, metrics } = setup(policy);
      const poisoned = {
        ...moved('i-5', 2, 'ready', 'proposed'),
        type: 'ItemTeleported',
        eventId: 'bad',
      };
      const events = [proposed('i-5'), poisoned, { ...moved('i-5', 3, 'ready', 'proposed') }];
      await projector.project(itemStream('i-5'), events);
      await projector.project(itemStream('i-5'), events);
      expect([...collection(PROJECTION_DEAD_LETTERS).docs.values()]).toEqual([
        expect.objectContaining({ _id: 'bad', type: 'ItemTeleported', policy }),
      ]);
      expect(collection(ITEMS_VIEW).docs.get('i-5')).toMatchObject({ status });
      expect((await metrics.poisonedEvents.get()).values[0].value).toBe(2);
    },
  );
});
