import type { INestApplication } from '@nestjs/common';
import type { Db, Document, MongoClient } from 'mongodb';
import { startBacklog } from '../support/backlog-app';

/**
 * Every lookup on the command path is served by an index on the server the README starts: on
 * FerretDB/PostgreSQL that needs the GIN twins scripts/infra/ferretdb-equality-indexes.sql adds
 * (FerretDB pushes equality down as `@>`, which its own btree indexes cannot serve). Without them
 * these plans are sequential scans and commands slow down as history grows (docs/benchmarks.md).
 * The plans are read with the MongoDB `explain` command, as any client would.
 */
describe('backlog: command-path lookups are index-backed', () => {
  let app: INestApplication;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    ({ app, client, db } = await startBacklog());
    // Enough documents that a scan and an index probe differ in the planner's eyes.
    const ids = Array.from(
      { length: 2000 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    await db.collection('event_commits').insertMany(
      ids.map((id) => ({
        _id: `item-${id}@1` as never,
        streamId: `item-${id}`,
        firstVersion: 1,
        lastVersion: 1,
        idem: `key-${id}`,
        committedAt: new Date(),
        events: [],
      })),
    );
    await db
      .collection('items_view')
      .insertMany(ids.map((id) => ({ _id: id as never, _version: 1, title: 'x'.repeat(200) })));
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  const plan = async (collection: string, filter: Document): Promise<string> => {
    const explained = await db.command({ explain: { find: collection, filter } });
    return JSON.stringify(explained.queryPlanner ?? explained);
  };
  // FerretDB answers with PostgreSQL's plan, MongoDB with its own: either way no full scan.
  const indexBacked = (p: string) =>
    (p.includes('Index Scan') || p.includes('IXSCAN')) &&
    !p.includes('"Seq Scan"') &&
    !p.includes('COLLSCAN');

  it.each([
    ['event_commits', 'the Idempotency-Key replay', { idem: 'key-7' }],
    [
      'event_commits',
      'reading a stream',
      { streamId: 'item-00000000-0000-4000-8000-000000000007' },
    ],
    [
      'event_commits',
      'the same events at a version',
      { _id: 'item-00000000-0000-4000-8000-000000000007@1' },
    ],
    [
      'items_view',
      'the read-model update',
      { _id: '00000000-0000-4000-8000-000000000007', _version: { $lt: 2 } },
    ],
  ])('%s: %s', async (collection, _what, filter) => {
    const p = await plan(collection, filter);
    expect({ plan: p.slice(0, 300), indexBacked: indexBacked(p) }).toMatchObject({
      indexBacked: true,
    });
  });

  it('a field with no index is still scanned (the check can fail)', async () => {
    expect(indexBacked(await plan('items_view', { title: 'y' }))).toBe(false);
  });
});
