import type { INestApplication } from '@nestjs/common';
import type { Db, MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { EventStoreRepository } from '../../services/backlog/src/event-store/event-store.repository';
import {
  IdempotencyKeyReusedError,
  WrongExpectedVersionError,
  type NewEvent,
} from '../../services/backlog/src/event-store/event-store.types';
import { startBacklog } from '../support/backlog-app';

const ev = (id = randomUUID(), type = 'ItemRescored'): NewEvent => ({
  eventId: id,
  type,
  data: { n: 1 },
});

describe('event store on the real MongoDB-compatible server', () => {
  let app: INestApplication;
  let store: EventStoreRepository;
  let db: Db;
  let client: MongoClient;

  beforeAll(async () => {
    ({ app, db, client } = await startBacklog());
    store = app.get(EventStoreRepository);
  });
  afterAll(async () => {
    await app.close();
    await client.close();
  });

  it('N parallel appends at one expected version: exactly one wins, the rest get a typed conflict', async () => {
    const stream = `item-${randomUUID()}`;
    await store.append(stream, [ev()], { expectedVersion: 'no-stream', actor: 't' });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        store.append(stream, [ev()], { expectedVersion: 1, actor: 't' }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const l of lost) expect(l.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.currentVersion(stream)).toBe(2);
  });

  it('expected version any / no-stream / exists / exact', async () => {
    const stream = `item-${randomUUID()}`;
    await expect(
      store.append(stream, [ev()], { expectedVersion: 'exists', actor: 't' }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await store.append(stream, [ev()], { expectedVersion: 'no-stream', actor: 't' });
    await expect(
      store.append(stream, [ev()], { expectedVersion: 'no-stream', actor: 't' }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await store.append(stream, [ev()], { expectedVersion: 'exists', actor: 't' });
    await store.append(stream, [ev(), ev()], { expectedVersion: 'any', actor: 't' });
    await expect(
      store.append(stream, [ev()], { expectedVersion: 2, actor: 't' }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(
      (await store.append(stream, [ev()], { expectedVersion: 4, actor: 't' })).nextVersion,
    ).toBe(5);
    // 'any' under contention retries instead of failing
    const parallel = await Promise.all(
      Array.from({ length: 8 }, () =>
        store.append(stream, [ev()], { expectedVersion: 'any', actor: 't' }),
      ),
    );
    expect(new Set(parallel.map((r) => r.nextVersion)).size).toBe(8);
    expect(await store.currentVersion(stream)).toBe(13);
  });

  describe('idempotency matrix (as EventStoreDB)', () => {
    it('the same events at the same expected version are a no-op success', async () => {
      const stream = `item-${randomUUID()}`;
      const batch = [ev(), ev()];
      const first = await store.append(stream, batch, { expectedVersion: 'no-stream', actor: 't' });
      const again = await store.append(stream, batch, { expectedVersion: 'no-stream', actor: 't' });
      expect(again).toEqual({ streamId: stream, nextVersion: first.nextVersion, replayed: true });
      expect((await store.readStream(stream)).length).toBe(2);
    });

    it('new events at the new matching version are written', async () => {
      const stream = `item-${randomUUID()}`;
      await store.append(stream, [ev()], { expectedVersion: 'no-stream', actor: 't' });
      expect(
        (await store.append(stream, [ev()], { expectedVersion: 1, actor: 't' })).replayed,
      ).toBe(false);
    });

    it('an old batch plus one new event at the old version is a conflict', async () => {
      const stream = `item-${randomUUID()}`;
      const batch = [ev()];
      await store.append(stream, batch, { expectedVersion: 'no-stream', actor: 't' });
      await expect(
        store.append(stream, [...batch, ev()], { expectedVersion: 'no-stream', actor: 't' }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    });

    it('the same Idempotency-Key returns the original result without a second write', async () => {
      const stream = `item-${randomUUID()}`;
      const first = await store.append(stream, [ev()], {
        expectedVersion: 'no-stream',
        actor: 't',
        idempotencyKey: `k-${stream}`,
        requestHash: 'h1',
      });
      const other = `item-${randomUUID()}`;
      const replay = await store.append(other, [ev()], {
        expectedVersion: 'no-stream',
        actor: 't',
        idempotencyKey: `k-${stream}`,
        requestHash: 'h1',
      });
      expect(replay).toEqual({ streamId: stream, nextVersion: first.nextVersion, replayed: true });
      expect(await store.currentVersion(other)).toBe(0);
      await expect(
        store.append(other, [ev()], {
          expectedVersion: 'no-stream',
          actor: 't',
          idempotencyKey: `k-${stream}`,
          requestHash: 'different',
        }),
      ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    });

    it('parallel retries of one Idempotency-Key write once', async () => {
      const key = `k-${randomUUID()}`;
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          store.append(`item-${randomUUID()}`, [ev()], {
            expectedVersion: 'no-stream',
            actor: 't',
            idempotencyKey: key,
            requestHash: 'h',
          }),
        ),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      expect(ok).toHaveLength(10);
      expect(await db.collection('event_commits').countDocuments({ idem: key })).toBe(1);
    });
  });

  it('upcasts old event versions on read', async () => {
    const stream = `item-${randomUUID()}`;
    await db.collection('event_commits').insertOne({
      _id: `${stream}@1` as never,
      streamId: stream,
      firstVersion: 1,
      lastVersion: 1,
      idem: `commit:${stream}@1`,
      committedAt: new Date(),
      events: [
        {
          eventId: randomUUID(),
          type: 'ItemProposed',
          schemaVersion: 1,
          recordedAt: new Date(),
          actor: 'legacy',
          data: {
            itemId: 'x',
            backlog: 'capability',
            quadrant: 'innovation',
            title: 'old',
            description: '',
            linkedModel: 'fraud',
            scores: { userImpact: 1, systemRisk: 1, timeCriticality: 1, effort: 1 },
            at: '2025-01-01T00:00:00.000Z',
          },
        },
      ],
    });
    const [event] = await store.readStream(stream);
    expect(event.schemaVersion).toBe(2);
    expect(event.data).toMatchObject({ linkedModels: ['fraud'], scores: { confidence: 1 } });
    expect(event.data).not.toHaveProperty('linkedModel');
  });

  it('creates its indexes at start-up', async () => {
    const names = (await db.collection('event_commits').indexes()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['stream_version', 'idempotency_key']));
  });
});
