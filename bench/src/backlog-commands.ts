import { randomUUID } from 'node:crypto';
import { MongoClient, type Db, type Document } from 'mongodb';
import {
  cpuSeconds,
  cpuSecondsOf,
  httpJson,
  infraPid,
  MONGO,
  percentile,
  startBacklog,
} from './bench-kit';
import { ADMIN_KEY, round, SMALL, type Figure } from './figure';

/**
 * The command mix every backlog figure uses: propose an item (with an Idempotency-Key, as the README
 * tells clients to) and move it to ready. Each is two database round trips in the service: the
 * commit insert and the read-model write (the key is looked up only when its unique index refuses a
 * repeat; test/backlog/command-round-trips.int-spec.ts counts them).
 */
const CLIENTS = SMALL ? 4 : 16;
const SECONDS = SMALL ? 2 : 10;
const HISTORY_SIZES = process.env.BENCH_HISTORY_SIZES
  ? process.env.BENCH_HISTORY_SIZES.split(',').map(Number)
  : SMALL
    ? [100, 300]
    : [1_000, 10_000, 100_000];
const EVENT_COMMITS = 'event_commits';
const ITEMS_VIEW = 'items_view';

const headers = (extra: Record<string, string> = {}) => ({
  'X-API-Key': ADMIN_KEY,
  'Content-Type': 'application/json',
  ...extra,
});
const proposal = JSON.stringify({
  backlog: 'capability',
  quadrant: 'critical-feature',
  title: 'Benchmark item',
  description: 'x',
  linkedModels: ['m'],
  scores: { userImpact: 5, systemRisk: 5, timeCriticality: 5, effort: 5, confidence: 0.8 },
});

/** Runs the command mix from `clients` loops for `seconds`; returns each command's latency. */
async function commandLoad(base: string, clients: number, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        let start = performance.now();
        const res = await httpJson(
          'POST',
          `${base}/api/v1/items`,
          headers({ 'Idempotency-Key': randomUUID() }),
          proposal,
        );
        if (res.status !== 201) throw new Error(`propose answered ${res.status}`);
        latencies.push(performance.now() - start);
        const { itemId } = res.body as { itemId: string };
        start = performance.now();
        const moved = await httpJson(
          'POST',
          `${base}/api/v1/items/${itemId}/transitions`,
          headers(),
          JSON.stringify({ to: 'ready', rationale: 'groomed' }),
        );
        if (moved.status !== 200) throw new Error(`transition answered ${moved.status}`);
        latencies.push(performance.now() - start);
      }
    }),
  );
  return latencies;
}

/** One item's commits and read model as the service wrote them: the templates for raw writes. */
async function templates(db: Db, base: string) {
  const res = await httpJson(
    'POST',
    `${base}/api/v1/items`,
    headers({ 'Idempotency-Key': randomUUID() }),
    proposal,
  );
  const { itemId } = res.body as { itemId: string };
  await httpJson(
    'POST',
    `${base}/api/v1/items/${itemId}/transitions`,
    headers(),
    JSON.stringify({ to: 'ready', rationale: 'groomed' }),
  );
  const [proposed, moved] = await db
    .collection(EVENT_COMMITS)
    .find({ streamId: `item-${itemId}` })
    .sort({ firstVersion: 1 })
    .toArray();
  const view = await db.collection(ITEMS_VIEW).findOne({ _id: itemId as never });
  if (!proposed || !moved || !view) throw new Error('could not read the template item');
  const commitFor = (template: Document, id: string, idem: string): Document => {
    const { _id, streamId, ...rest } = template;
    void _id;
    void streamId;
    return {
      ...rest,
      _id: `item-${id}@${String(template.firstVersion)}`,
      streamId: `item-${id}`,
      idem,
    };
  };
  const viewFor = (id: string, version: number): Document & { _id: string } => ({
    ...view,
    _id: id,
    itemId: id,
    _stream: `item-${id}`,
    _version: version,
  });
  return { proposed, moved, commitFor, viewFor };
}

type Templates = Awaited<ReturnType<typeof templates>>;

/** CPU seconds so far of each process a command runs through (the service when there is one). */
function cpuNow(servicePid?: number) {
  const ferretdb = infraPid('ferretdb');
  const own = process.cpuUsage();
  return {
    service: servicePid ? cpuSeconds(servicePid) : 0,
    ferretdb: ferretdb ? cpuSeconds(ferretdb) : 0,
    postgres: cpuSecondsOf('postgres'),
    client: (own.user + own.system) / 1e6,
  };
}

/** Where a command's CPU went between two readings: milliseconds per command, per process. */
function cpuPerCommand(
  before: ReturnType<typeof cpuNow>,
  after: ReturnType<typeof cpuNow>,
  commands: number,
): string {
  const ms = (k: keyof typeof before) => (((after[k] - before[k]) * 1000) / commands).toFixed(2);
  return `${after.service ? `service ${ms('service')}, ` : ''}FerretDB ${ms('ferretdb')}, PostgreSQL ${ms('postgres')}, load generator ${ms('client')} ms of CPU per command`;
}

/**
 * The raw driver doing exactly the service's round trips for the same mix, from the same number of
 * concurrent loops: commit insert (carrying the Idempotency-Key), read-model insert; commit
 * insert, conditional read-model update. What separates the service from it is HTTP, Nest and the domain.
 */
async function rawRoundTrips(db: Db, t: Templates, clients: number, seconds: number) {
  const commits = db.collection(EVENT_COMMITS);
  const views = db.collection<{ _id: string } & Document>(ITEMS_VIEW);
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        const id = randomUUID();
        const key = `raw-${id}`;
        let start = performance.now();
        await commits.insertOne(t.commitFor(t.proposed, id, key));
        await views.insertOne(t.viewFor(id, 1));
        latencies.push(performance.now() - start);
        start = performance.now();
        await commits.insertOne(t.commitFor(t.moved, id, `commit:item-${id}@2`));
        await views.updateOne(
          { _id: id, _version: { $lt: 2 } },
          { $set: { status: 'ready', _version: 2 } },
          { upsert: true },
        );
        latencies.push(performance.now() - start);
      }
    }),
  );
  return latencies;
}

/** Raw insertOne from the same number of loops: the database's own write rate on this machine. */
async function rawInserts(db: Db, clients: number, seconds: number): Promise<number> {
  const coll = db.collection('bench_raw_inserts');
  let inserts = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        await coll.insertOne({
          streamId: randomUUID(),
          events: [{ type: 'ItemProposed', data: JSON.parse(proposal) as object }],
          at: new Date(),
        });
        inserts++;
      }
    }),
  );
  return inserts / ((Date.now() - started) / 1000);
}

export async function backlogCommands(): Promise<Figure> {
  const backlog = await startBacklog();
  const client = new MongoClient(`${MONGO}/${backlog.database}`);
  await client.connect();
  try {
    const db = client.db(backlog.database);
    const t = await templates(db, backlog.base);
    await commandLoad(backlog.base, CLIENTS, 2); // warm-up
    let started = Date.now();
    let cpu = cpuNow(backlog.pid);
    const latencies = await commandLoad(backlog.base, CLIENTS, SECONDS);
    const rate = latencies.length / ((Date.now() - started) / 1000);
    const serviceCpu = cpuPerCommand(cpu, cpuNow(backlog.pid), latencies.length);
    await backlog.stop();
    started = Date.now();
    cpu = cpuNow();
    const raw = await rawRoundTrips(db, t, CLIENTS, SECONDS);
    const rawRate = raw.length / ((Date.now() - started) / 1000);
    const rawCpu = cpuPerCommand(cpu, cpuNow(), raw.length);
    const insertRate = await rawInserts(db, CLIENTS, SECONDS);
    const p99 = percentile(latencies, 99);
    return {
      name: `Backlog commands, ${CLIENTS} concurrent HTTP clients (propose with Idempotency-Key + transition)`,
      value: Math.round(rate),
      unit: 'commands/s',
      baseline: {
        name: 'raw MongoDB driver doing the same round trips per command, same concurrency',
        value: Math.round(rawRate),
        unit: 'commands/s',
      },
      ratio: round(rate / rawRate),
      target: 'p99 ≤ 50 ms; ≥ 0.4 of raw insertOne; aim ≥ 0.8 of the round trips',
      met: p99 <= 50 && rate / insertRate >= 0.4,
      perRun: `p99 ${p99.toFixed(1)} ms, ${round(rate / insertRate)} of insertOne, ${round(rate / rawRate)} of the round trips`,
      notes:
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${latencies.length} commands; ` +
        `raw round trips p50 ${percentile(raw, 50).toFixed(1)} ms, p99 ${percentile(raw, 99).toFixed(1)} ms; ` +
        `raw insertOne ${Math.round(insertRate)} inserts/s (ratio ${round(rate / insertRate)}); ` +
        `through the service: ${serviceCpu}; the raw round trips: ${rawCpu}`,
    };
  } finally {
    await backlog.stop();
    await client.db(backlog.database).dropDatabase();
    await client.close();
  }
}

/** Adds `count` items (a proposal and a transition each, as the service stores them) in bulk. */
async function seed(db: Db, t: Templates, count: number): Promise<void> {
  const commits = db.collection(EVENT_COMMITS);
  const views = db.collection<{ _id: string } & Document>(ITEMS_VIEW);
  for (let done = 0; done < count;) {
    const n = Math.min(1000, count - done);
    const ids = Array.from({ length: n }, () => randomUUID());
    await commits.insertMany(
      ids.flatMap((id) => [
        t.commitFor(t.proposed, id, `seed-${id}`),
        t.commitFor(t.moved, id, `commit:item-${id}@2`),
      ]),
      { ordered: false },
    );
    await views.insertMany(
      ids.map((id) => t.viewFor(id, 2)),
      { ordered: false },
    );
    done += n;
  }
}

/**
 * The same command mix as a team's history grows: the database is seeded to each size in turn and
 * the commands measured against it. Every lookup on the command path is by a key the database
 * indexes, so latency should not follow the collection size.
 */
export async function commandsAsHistoryGrows(): Promise<Figure> {
  const backlog = await startBacklog();
  const client = new MongoClient(`${MONGO}/${backlog.database}`);
  await client.connect();
  const rows: { size: number; p50: number; p99: number; rate: number; seedS: number }[] = [];
  try {
    const db = client.db(backlog.database);
    const t = await templates(db, backlog.base);
    await commandLoad(backlog.base, 4, 2); // warm-up
    let stored = await db.collection(ITEMS_VIEW).countDocuments();
    for (const size of HISTORY_SIZES) {
      const seedStart = Date.now();
      await seed(db, t, size - stored);
      const seedS = (Date.now() - seedStart) / 1000;
      // A team's history grows over weeks, not in one bulk insert: give the database the moment its
      // own maintenance (PostgreSQL's autoanalyze, GIN pending lists) takes after one.
      await commandLoad(backlog.base, 4, SMALL ? 1 : 5);
      const started = Date.now();
      const latencies = await commandLoad(backlog.base, 4, SECONDS);
      const rate = latencies.length / ((Date.now() - started) / 1000);
      rows.push({
        size,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        rate,
        seedS,
      });
      stored = await db.collection(ITEMS_VIEW).countDocuments();
    }
  } finally {
    await backlog.stop();
    await client.db(backlog.database).dropDatabase();
    await client.close();
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  const growth = last.p99 / first.p99;
  return {
    name: `Backlog commands as history grows (${HISTORY_SIZES.map((s) => s.toLocaleString('en')).join(' / ')} items, 4 clients)`,
    value: Math.round(last.p99 * 10) / 10,
    unit: `ms p99 at ${last.size.toLocaleString('en')} items`,
    baseline: {
      name: `p99 at ${first.size.toLocaleString('en')} items`,
      value: Math.round(first.p99 * 10) / 10,
      unit: 'ms',
    },
    ratio: round(growth),
    target: `p99 at the largest size ≤ 1.5 × p99 at the smallest`,
    met: growth <= 1.5,
    notes: rows
      .map(
        (r) =>
          `${r.size.toLocaleString('en')} items: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${Math.round(r.rate)} commands/s (seeded in ${r.seedS.toFixed(0)} s)`,
      )
      .join('; '),
  };
}
