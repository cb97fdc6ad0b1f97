/**
 * The backlog's intakes at platform scale: a burst of model statuses (one per model, all at one
 * 5-minute boundary, as 10,000 models publish them) and an incident storm (1,000 incidents opened
 * at one boundary), produced at once to fresh topics; measured until every one is visible in
 * `GET /api/v1/models`, as a client sees it. Baseline in the same run: the raw MongoDB driver
 * writing the same statuses as the same conditional upserts, one at a time.
 *   node -r ./scripts/register-paths.js dist/bench/src/status-burst.js
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import {
  deterministicId,
  eventType,
  MODEL_STATUS_SCHEMA_ID,
  RELIABILITY_SCHEMA_ID,
  topicEnv,
  type ModelStatus,
  type ReliabilityEvent,
} from '@fulcrum/contracts';
import {
  cpuSeconds,
  cpuSecondsOf,
  createTopics,
  kafka,
  MONGO,
  sleep,
  startBacklog,
  uniqueName,
} from './bench-kit';
import { ADMIN_KEY, round, SMALL, type Figure } from './figure';

const STATUSES = Number(process.env.BENCH_STATUSES ?? (SMALL ? 300 : 10_000));
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? (SMALL ? 100 : 1_000));
const AT = '2026-06-01T10:00:00.000Z';
const NEXT = '2026-06-01T10:05:00.000Z';

export function statusOf(modelId: string, at = AT): ModelStatus {
  return {
    schema: MODEL_STATUS_SCHEMA_ID,
    modelId,
    modelVersion: 'v1',
    versionFirstSeenAt: '2026-06-01T00:00:00.000Z',
    at,
    lastHour: { requests: { realtime: 3000, batch: 0 }, errorRatio: 0.001, slowRatio: 0.01 },
    accuracy: { value: 0.93, labeled: 400, labelLagSeconds: 600 },
    drift: { maxScore: 0.02, driftingFeatures: [] },
    openIncidents: [],
    coverage: {
      referenceSource: 'baseline',
      featuresSeen: 12,
      featuresWithReference: 12,
      lastLabelsAt: at,
      lastLatencyAt: at,
      lastRecordAt: at,
    },
    thresholds: {
      accuracy: 0.85,
      accuracyCritical: 0.8,
      errorRatio: 0.005,
      slowRatio: 0.05,
      drift: 0.1,
    },
  };
}

export function openedEvent(modelId: string): ReliabilityEvent {
  const window = { start: '2026-06-01T09:00:00.000Z', end: AT };
  const incidentId = deterministicId(modelId, 'error_budget', window.start, window.end);
  return {
    schema: RELIABILITY_SCHEMA_ID,
    eventId: deterministicId(incidentId, 'opened'),
    type: eventType('error_budget', 'opened'),
    incidentId,
    modelId,
    modelVersion: 'v1',
    rule: 'error_budget',
    severity: 'critical',
    observed: 15.2,
    threshold: 14.4,
    window,
    evidence: {},
    eventTime: AT,
    emittedAt: AT,
  };
}

/** Produces keyed messages, 1,000 a request, acknowledged by every replica. */
export async function produce(
  topic: string,
  messages: { key: string; value: string }[],
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  for (let i = 0; i < messages.length; i += 1000)
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1000) });
  await producer.disconnect();
}

async function models(
  base: string,
): Promise<{ modelId: string; status: { at: string } | null; openIncidents: unknown[] }[]> {
  const res = await fetch(`${base}/api/v1/models`, { headers: { 'X-API-Key': ADMIN_KEY } });
  return ((await res.json()) as { items: never[] }).items;
}

/** A backlog counter's `applied` so far (one metric family: the scrape stays cheap). */
export async function applied(base: string, family: string): Promise<number> {
  const res = await fetch(`${base}/metrics?name[]=${family}`);
  const m = new RegExp(`${family}\\{outcome="applied"\\} (\\d+)`).exec(await res.text());
  return m ? Number(m[1]) : 0;
}

/**
 * One burst: every model's status at `at`, produced at once; seconds until the service applied
 * them all (its own counter; GET /api/v1/models reads every model's status and would load the
 * database it measures if asked every second), then until the first GET /api/v1/models shows them.
 */
async function burst(
  base: string,
  topic: string,
  ids: string[],
  at: string,
  before: number,
): Promise<{ absorbed: number; visible: number }> {
  const started = Date.now();
  await produce(
    topic,
    ids.map((id) => ({ key: id, value: JSON.stringify(statusOf(id, at)) })),
  );
  while ((await applied(base, 'fulcrum_backlog_model_statuses_total')) < before + ids.length)
    await sleep(250);
  const absorbed = (Date.now() - started) / 1000;
  const visible = await untilVisible(
    base,
    started,
    (ms) => ms.filter((m) => m.status?.at === at).length >= ids.length,
    600_000,
  );
  return { absorbed, visible };
}

/** Seconds from the first message produced until `done` holds for GET /api/v1/models. */
async function untilVisible(
  base: string,
  started: number,
  done: (ms: Awaited<ReturnType<typeof models>>) => boolean,
  timeoutMs: number,
): Promise<number> {
  for (;;) {
    if (done(await models(base))) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) return Number.POSITIVE_INFINITY;
    // GET /api/v1/models reads every model's status: asking often would itself load the database.
    await sleep(2000);
  }
}

/** The raw driver doing what the intake does per status: two conditional upserts. */
async function rawDriverRate(n: number): Promise<number> {
  const client = await MongoClient.connect(`${MONGO}/${uniqueName('fulcrum_raw')}`);
  try {
    const db = client.db();
    const started = Date.now();
    for (let i = 0; i < n; i++) {
      const s = statusOf(`raw-${i}`);
      for (const [c, id] of [
        ['latest', s.modelId],
        ['hourly', `${s.modelId}@${s.at}`],
      ] as const)
        await db
          .collection(c)
          .updateOne(
            { _id: id as never, at: { $lt: s.at } },
            { $set: { at: s.at, status: s } },
            { upsert: true },
          );
    }
    const rate = n / ((Date.now() - started) / 1000);
    await db.dropDatabase();
    return rate;
  } finally {
    await client.close();
  }
}

export async function statusBurst(): Promise<Figure[]> {
  const topics = await createTopics('burst');
  const backlog = await startBacklog(uniqueName('fulcrum_burst'), {
    ...topicEnv(topics),
    FULCRUM_BACKLOG_CONSUME_EVENTS: 'true',
    FULCRUM_BACKLOG_GROUP_ID: `burst-${randomUUID().slice(0, 8)}`,
  });
  try {
    const ids = Array.from({ length: STATUSES }, (_, i) => `burst-model-${i}`);
    // First sight: every model new, its audit opening technical-debt items (no profile yet).
    const first = await burst(backlog.base, topics.modelStatus, ids, AT, 0);
    // The next boundary, the steady state of a platform: statuses of known models.
    const cpu0 = cpuSeconds(backlog.pid);
    const db0 = cpuSecondsOf('ferretdb') + cpuSecondsOf('postgres');
    const next = await burst(backlog.base, topics.modelStatus, ids, NEXT, STATUSES);
    const serviceCpu = cpuSeconds(backlog.pid) - cpu0;
    const dbCpu = cpuSecondsOf('ferretdb') + cpuSecondsOf('postgres') - db0;

    const stormIds = ids.slice(0, INCIDENTS);
    const stormStarted = Date.now();
    await produce(
      topics.reliabilityEvents,
      stormIds.map((id) => ({ key: id, value: JSON.stringify(openedEvent(id)) })),
    );
    while ((await applied(backlog.base, 'fulcrum_backlog_reliability_events_total')) < INCIDENTS)
      await sleep(250);
    const stormApplied = (Date.now() - stormStarted) / 1000;
    const stormSeconds = await untilVisible(
      backlog.base,
      stormStarted,
      (ms) => ms.filter((m) => m.openIncidents.length > 0).length >= INCIDENTS,
      600_000,
    );
    const raw = await rawDriverRate(Math.min(STATUSES, 2000));
    const read = Date.now();
    await models(backlog.base);
    const readSeconds = (Date.now() - read) / 1000;
    const rate = STATUSES / next.absorbed;
    return [
      {
        name: `model-status burst: ${STATUSES} statuses of known models visible in GET /api/v1/models`,
        value: round(next.visible),
        unit: 's',
        baseline: {
          name: 'the raw driver, the same two conditional upserts per status, one at a time',
          value: round(raw),
          unit: 'statuses/s',
        },
        target: '≤ 60 s for 10,000',
        met: next.visible <= 60,
        notes: `all applied after ${round(next.absorbed)} s: ${round(rate)} statuses/s absorbed (${round(rate / raw)} of the raw driver's one-at-a-time rate); service CPU ${round((serviceCpu * 1000) / STATUSES)} ms per status, FerretDB + PostgreSQL CPU ${round((dbCpu * 1000) / STATUSES)} ms per status (including the one GET); one GET /api/v1/models of ${STATUSES} models takes ${round(readSeconds)} s. First sight of the same models (each audit opening its technical-debt items): applied after ${round(first.absorbed)} s (${round(STATUSES / first.absorbed)}/s), visible after ${round(first.visible)} s`,
      },
      {
        name: `incident storm: ${INCIDENTS} incidents opened at one boundary, every item visible`,
        value: round(stormSeconds),
        unit: 's',
        target: 'recorded (no target set)',
        met: Number.isFinite(stormSeconds),
        notes: `all applied after ${round(stormApplied)} s (${round(INCIDENTS / stormApplied)} incidents/s turned into items), then visible in GET /api/v1/models`,
      },
    ];
  } finally {
    await backlog.stop();
  }
}

if (require.main === module)
  void statusBurst().then((f) => console.log(JSON.stringify(f, null, 2)));
