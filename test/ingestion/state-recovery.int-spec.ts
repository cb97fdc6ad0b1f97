import type { INestApplication } from '@nestjs/common';
import {
  parseModelStatus,
  type ModelStatus,
  type ReliabilityEvent,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import request from 'supertest';
import { accuracyScenario, errorBudgetScenario } from '@fulcrum/testing';
import { predictionMessages } from '../../bench/src/telemetry-load';
import { accuracyAndBudgetStory, expectedEvents, told } from '../support/expected-events';
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

const ids = (events: ReliabilityEvent[]) => events.map((e) => e.eventId);
const story = (prefix: string) =>
  accuracyAndBudgetStory([0, 1, 2, 3, 4, 5].map((m) => `${prefix}-model-${m}`));

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
    expect(runs[0]).toEqual(ids(expectedEvents(all)).sort());
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
    expect(ids(events).sort()).toEqual(ids(expectedEvents(all)).sort());
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
    expect(ids(events).sort()).toEqual(ids(expectedEvents(all)).sort());
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
