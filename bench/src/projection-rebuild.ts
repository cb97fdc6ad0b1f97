/** Projection rebuild from the event store against a raw cursor scan of the same commits. */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { ADMIN_KEY, round, SIZES, type Figure } from './figure';
import { MONGO, startBacklog, uniqueName, waitUntil } from './bench-kit';

interface RebuildReport {
  streams: number;
  events: number;
  documentsChanged: number;
  durationMs: number;
}

export async function projectionRebuild(): Promise<Figure> {
  const database = uniqueName('fulcrum_bench');
  const client = new MongoClient(`${MONGO}/${database}`);
  await client.connect();
  const commits = client.db(database).collection('event_commits');
  const items = SIZES.rebuildEvents / 4;
  const t0 = Date.UTC(2026, 0, 1);
  const docs: object[] = [];
  for (let i = 0; i < items; i++) {
    const itemId = randomUUID();
    const stream = `item-${itemId}`;
    const at = (k: number) => new Date(t0 + i * 1000 + k);
    const events = [
      {
        type: 'ItemProposed',
        data: {
          itemId,
          backlog: 'capability',
          quadrant: 'innovation',
          title: `Item ${i}`,
          description: '',
          linkedModels: [],
          scores: { userImpact: 5, systemRisk: 4, timeCriticality: 3, effort: 5, confidence: 0.8 },
          rationale: null,
          at: at(0).toISOString(),
        },
      },
      {
        type: 'ItemRescored',
        data: {
          scores: { userImpact: 6, systemRisk: 4, timeCriticality: 3, effort: 5, confidence: 0.8 },
          rationale: 'more info',
          at: at(1).toISOString(),
        },
      },
      {
        type: 'ItemStatusChanged',
        data: {
          from: 'proposed',
          to: 'ready',
          rationale: 'groomed',
          ceremonyId: null,
          at: at(2).toISOString(),
        },
      },
      {
        type: 'ItemStatusChanged',
        data: {
          from: 'ready',
          to: 'committed',
          rationale: 'ceremony',
          ceremonyId: null,
          at: at(3).toISOString(),
        },
      },
    ];
    events.forEach((e, k) =>
      docs.push({
        _id: `${stream}@${k + 1}`,
        streamId: stream,
        firstVersion: k + 1,
        lastVersion: k + 1,
        idem: `commit:${stream}@${k + 1}`,
        committedAt: at(k),
        events: [
          {
            eventId: randomUUID(),
            type: e.type,
            schemaVersion: e.type === 'ItemProposed' ? 2 : 1,
            data: e.data,
            recordedAt: at(k),
            actor: 'bench',
          },
        ],
      }),
    );
  }
  for (let i = 0; i < docs.length; i += 2000)
    await commits.insertMany(docs.slice(i, i + 2000), { ordered: false });

  const scanStart = Date.now();
  let scanned = 0;
  for await (const doc of commits.find({}).batchSize(1000))
    scanned += (doc.events as unknown[]).length;
  const scanRate = scanned / ((Date.now() - scanStart) / 1000);

  const backlog = await startBacklog(database);
  // A job: 202 with a Location to follow until it reports (a rebuild can outlive HTTP timeouts).
  const started = await fetch(`${backlog.base}/api/v1/admin/projections/rebuild`, {
    method: 'POST',
    headers: { 'X-API-Key': ADMIN_KEY },
  });
  const location = started.headers.get('location');
  if (started.status !== 202 || !location)
    throw new Error(`rebuild did not start: ${started.status} ${await started.text()}`);
  let job: { state: string; error: string | null; report: RebuildReport | null } | undefined;
  await waitUntil(
    'rebuild finished',
    async () => {
      const res = await fetch(`${backlog.base}${location}`, {
        headers: { 'X-API-Key': ADMIN_KEY },
      });
      job = (await res.json()) as typeof job;
      return job?.state !== 'running';
    },
    1_800_000,
    500,
  );
  if (job?.state !== 'succeeded' || !job.report)
    throw new Error(`rebuild failed: ${JSON.stringify(job)}`);
  const report = job.report;
  await backlog.stop();
  await client.db(database).dropDatabase();
  await client.close();
  const rate = report.events / (report.durationMs / 1000);
  return {
    name: `Projection rebuild from ${report.events} events (${items} item streams)`,
    value: Math.round(rate),
    unit: 'events/s',
    baseline: {
      name: 'raw cursor scan of the same commits (natural order, as the rebuild reads them)',
      value: Math.round(scanRate),
      unit: 'events/s',
    },
    ratio: round(rate / scanRate),
    target: 'ratio ≥ 0.3',
    met: rate / scanRate >= 0.3,
    notes: `${report.documentsChanged} read models written (empty read-model collections)`,
  };
}
