import type { INestApplication } from '@nestjs/common';
import {
  parseModelStatus,
  type ModelStatus,
  type ReliabilityEvent,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import request from 'supertest';
import { accuracyScenario, errorBudgetScenario, prediction } from '@fulcrum/testing';
import { predictionMessages } from '../../bench/src/telemetry-load';
import {
  accuracyAndBudgetEvents,
  accuracyAndBudgetStory,
  byId,
  comparable,
  told,
} from '../support/expected-events';
import { startIngestion } from '../support/ingestion-app';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  parseValues,
  produceTelemetry,
  readAll,
  testKafka,
  waitFor,
} from '../support/kafka-test-kit';
import { ConfigResourceTypes } from 'kafkajs';

/** Six models spread over the six partitions, each with an accuracy and an error-budget story. */
function workload(prefix: string): {
  first: TelemetryRecord[];
  second: TelemetryRecord[];
  all: TelemetryRecord[];
} {
  const first: TelemetryRecord[] = [];
  const second: TelemetryRecord[] = [];
  for (let m = 0; m < 6; m++) {
    const id = `${prefix}-model-${m}`;
    const records = [...accuracyScenario(id), ...errorBudgetScenario(id)].sort(
      (a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime),
    );
    const cut = Math.floor(records.length / 2);
    first.push(...records.slice(0, cut));
    second.push(...records.slice(cut));
  }
  return { first, second, all: [...first, ...second] };
}

/**
 * Three models without a baseline, a prediction every 5 s each for 95 minutes: the first 200 build
 * each one's first-N reference, drift counting starts at the 30th minute, the 10-minute windows
 * from minute 50 to 70 are shifted (drift opens) and the later ones match again (it resolves).
 * Arrival is shuffled within blocks of 25 s, well inside the allowed lateness (2 min).
 */
function referenceWorkload(prefix: string): TelemetryRecord[] {
  const t0 = Date.UTC(2026, 4, 2);
  const records: TelemetryRecord[] = [];
  let seed = 7;
  const r = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let t = 0; t < 95 * 60_000; t += 5_000) {
    const shifted = t >= 50 * 60_000 && t < 70 * 60_000;
    for (let m = 0; m < 3; m++) {
      const amount = shifted ? 60 + r() * 40 : r() * 100;
      const channel = shifted ? 'store' : ['web', 'app', 'store'][Math.floor(r() * 3)];
      records.push(prediction(`${prefix}-model-${m}`, t0 + t, { features: { amount, channel } }));
    }
  }
  for (let b = 0; b + 15 <= records.length; b += 15) {
    const block = records.slice(b, b + 15).sort(() => r() - 0.5);
    records.splice(b, 15, ...block);
  }
  return records;
}

const REFERENCE_RULES = {
  defaults: {
    drift: {
      referenceSize: 200,
      windowMs: 10 * 60_000,
      minObservations: 100,
      cooldownMs: 10 * 60_000,
    },
  },
};

const ids = (events: { eventId: string }[]) => events.map((e) => e.eventId);
const models = (prefix: string) => [0, 1, 2, 3, 4, 5].map((m) => `${prefix}-model-${m}`);
const story = (prefix: string) => accuracyAndBudgetStory(models(prefix));
/** The hand-computed events of the workload (ids from the README's formula, values by arithmetic). */
const oracle = (prefix: string) => byId(models(prefix).flatMap((m) => accuracyAndBudgetEvents(m)));

/**
 * Once the group has committed `count` records, every event they caused is on the topic (events
 * are acknowledged before offsets are committed): read it whole, duplicates and extras included.
 */
async function allEventsAfter(
  topic: string,
  telemetry: string,
  groupId: string,
  count: number,
): Promise<ReliabilityEvent[]> {
  await waitFor(
    `${count} records committed`,
    async () => (await committedCount(groupId, telemetry)) === count,
  );
  return parseValues<ReliabilityEvent>(await readAll(topic));
}

describe('state survives replays, restarts and rebalances', () => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  afterAll(closeTestProducer);

  it('replaying the same telemetry yields identical event ids', async () => {
    const { all } = workload('replay');
    const runs: string[][] = [];
    const statusRuns: ModelStatus[][] = [];
    for (let i = 0; i < 2; i++) {
      const topics = await freshTopics();
      const { app, config } = await startIngestion(topics);
      apps.push(app);
      await produceTelemetry(topics.telemetry, all);
      const events = await allEventsAfter(
        topics.reliabilityEvents,
        topics.telemetry,
        config.groupId,
        all.length,
      );
      expect(events.map(told).sort()).toEqual(story('replay'));
      runs.push(ids(events).sort());
      statusRuns.push(
        parseValues<ModelStatus>(await readAll(topics.modelStatus)).sort((a, b) =>
          a.modelId === b.modelId ? a.at.localeCompare(b.at) : a.modelId.localeCompare(b.modelId),
        ),
      );
    }
    expect(runs[0]).toEqual(runs[1]);
    // The model-status stream is as deterministic as the events: byte for byte on a replay.
    expect(statusRuns[0].length).toBeGreaterThan(6);
    expect(statusRuns[1]).toEqual(statusRuns[0]);
    for (const st of statusRuns[0]) expect(parseModelStatus(st)).toEqual({ ok: true, status: st });
    // Each model's last status: the error-budget story's clean hour (12 windows of 1,000 realtime
    // requests, no errors) and both incidents resolved.
    for (let m = 0; m < 6; m++) {
      const last = statusRuns[0].filter((st) => st.modelId === `replay-model-${m}`).at(-1)!;
      expect(last.lastHour).toEqual({
        requests: { realtime: 12000, batch: 0 },
        errorRatio: 0,
        slowRatio: 0,
      });
      expect(last.openIncidents).toEqual([]);
      expect(last.accuracy).toMatchObject({ value: 0.95, labeled: 200 });
    }
    expect(runs[0]).toEqual(ids(oracle('replay')).sort());
  });

  it('a restart in the middle of the stream loses no event and adds none', async () => {
    const topics = await freshTopics();
    const { first, second, all } = workload('restart');
    const first1 = await startIngestion(topics);
    await produceTelemetry(topics.telemetry, first);
    await waitFor(
      'first half committed',
      async () => (await committedCount(first1.config.groupId, topics.telemetry)) === first.length,
    );
    await first1.app.close();

    const second1 = await startIngestion(topics, { groupId: first1.config.groupId });
    apps.push(second1.app);
    await produceTelemetry(topics.telemetry, second);
    // A clean close committed what it processed: each event exactly once, nothing added.
    const events = await allEventsAfter(
      topics.reliabilityEvents,
      topics.telemetry,
      first1.config.groupId,
      all.length,
    );
    expect(events.map(told).sort()).toEqual(story('restart'));
    expect(byId(events).map(comparable)).toEqual(oracle('restart'));
    const metrics = (await request(second1.app.getHttpServer()).get('/metrics')).text;
    expect(metrics).toMatch(/fulcrum_ingestion_state_restored_models_total [1-9]/);
  });

  it('two instances share the partitions; when one leaves the other restores its models and carries on', async () => {
    const topics = await freshTopics();
    const { first, second, all } = workload('rebalance');
    const a = await startIngestion(topics);
    const b = await startIngestion(topics, { groupId: a.config.groupId });
    apps.push(a.app);
    for (const app of [a.app, b.app]) {
      await waitFor(
        'instance joined',
        async () => (await request(app.getHttpServer()).get('/health/ready')).status === 200,
      );
    }
    await produceTelemetry(topics.telemetry, first);
    await waitFor(
      'first half committed',
      async () => (await committedCount(a.config.groupId, topics.telemetry)) === first.length,
    );
    const metricsB = (await request(b.app.getHttpServer()).get('/metrics')).text;
    const metricsA = (await request(a.app.getHttpServer()).get('/metrics')).text;
    const tracked = (text: string) =>
      Number(/fulcrum_ingestion_models_tracked (\d+)/.exec(text)?.[1] ?? 0);
    expect(tracked(metricsA)).toBeGreaterThan(0);
    expect(tracked(metricsB)).toBeGreaterThan(0);
    expect(tracked(metricsA) + tracked(metricsB)).toBe(6);

    await b.app.close();
    await produceTelemetry(topics.telemetry, second);
    const events = await allEventsAfter(
      topics.reliabilityEvents,
      topics.telemetry,
      a.config.groupId,
      all.length,
    );
    // each model's events emitted once: no duplicates, nothing missing, nothing added
    expect(events.map(told).sort()).toEqual(story('rebalance'));
    expect(byId(events).map(comparable)).toEqual(oracle('rebalance'));
  });

  it('a restart while models build their first-N references restores the rows from their chunks: the same references and drift events as an uninterrupted run', async () => {
    const records = referenceWorkload('building');
    // Two thirds of the way through the reference rows: the log holds chunks and a tail.
    const cut = 3 * 140;
    const run = async (restartAt: number | null) => {
      const topics = await freshTopics();
      let current = await startIngestion(topics, { rules: REFERENCE_RULES });
      const groupId = current.config.groupId;
      let chunkKeys = 0;
      if (restartAt !== null) {
        await produceTelemetry(topics.telemetry, records.slice(0, restartAt));
        await waitFor(
          'first part committed',
          async () => (await committedCount(groupId, topics.telemetry)) === restartAt,
        );
        await current.app.close();
        chunkKeys = (await readAll(topics.ingestionState)).filter((m) =>
          m.key?.toString().includes('/reference-rows/'),
        ).length;
        current = await startIngestion(topics, { groupId, rules: REFERENCE_RULES });
      }
      apps.push(current.app);
      await produceTelemetry(topics.telemetry, records.slice(restartAt ?? 0));
      const events = await allEventsAfter(
        topics.reliabilityEvents,
        topics.telemetry,
        groupId,
        records.length,
      );
      return { events, chunkKeys };
    };
    const uninterrupted = await run(null);
    const restarted = await run(cut);
    // The checkpoint at the restart held the rows as chunks on their own keys.
    expect(restarted.chunkKeys).toBeGreaterThanOrEqual(3);
    const drift = (events: ReliabilityEvent[]) =>
      events
        .filter((e) => e.rule === 'feature_drift')
        .map(({ emittedAt: _at, ...event }) => event)
        .sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
    expect(drift(uninterrupted.events).map((e) => e.type)).toEqual(
      expect.arrayContaining(['feature_drift.opened', 'feature_drift.resolved']),
    );
    expect(drift(restarted.events)).toEqual(drift(uninterrupted.events));
  });

  it('a checkpoint of megabytes (models still building their reference) goes out in slices and restores', async () => {
    // 40 models × 600 predictions with 10 numeric features: each model holds 6,000 raw values
    // until its reference is built, so one checkpoint of the partition is ~1.7 MB, over the
    // broker's 1 MiB batch limit. Sent as one batch it failed non-retriably and stopped the consumer.
    const topics = await freshTopics(1);
    // The broker's default limit, as on a state topic created before it was raised to 8 MiB.
    const admin = testKafka.admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topics.ingestionState,
          configEntries: [{ name: 'max.message.bytes', value: '1048588' }],
        },
      ],
    });
    await admin.disconnect();
    const messages = predictionMessages(24_000, 40, Date.UTC(2026, 4, 1));
    const first = await startIngestion(topics);
    await produceTelemetry(topics.telemetry, messages);
    await waitFor(
      'every record committed',
      async () =>
        (await committedCount(first.config.groupId, topics.telemetry)) === messages.length,
    );
    await first.app.close();
    const second = await startIngestion(topics, { groupId: first.config.groupId });
    apps.push(second.app);
    const restored = await waitFor('the 40 models restored', async () => {
      const metrics = (await request(second.app.getHttpServer()).get('/metrics')).text;
      const m = /^fulcrum_ingestion_state_restored_models_total (\d+)$/m.exec(metrics);
      return m && Number(m[1]) >= 40 && Number(m[1]);
    });
    expect(restored).toBe(40);
  });
});
