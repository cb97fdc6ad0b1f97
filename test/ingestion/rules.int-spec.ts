import type { INestApplication } from '@nestjs/common';
import type { ReliabilityEvent, TelemetryRecord, TopicNames } from '@fulcrum/contracts';
import request from 'supertest';
import {
  accuracyScenario,
  driftScenario,
  errorBudgetScenario,
  latencyScenario,
} from '@fulcrum/testing';
import { prediction } from '@fulcrum/testing';
import { startIngestion } from '../support/ingestion-app';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  parseValues,
  produceTelemetry,
  readAll,
  readTopic,
  waitFor,
  type ReadMessage,
} from '../support/kafka-test-kit';

/** Each rule's scripted scenario through the real broker: the exact events, in order. */
describe('metrics-ingestion rules on the real stack', () => {
  let topics: TopicNames;
  let app: INestApplication;
  let groupId: string;
  /** Messages produced to the telemetry topic so far in this file. */
  let produced = 0;
  const produce = async (records: TelemetryRecord[]) => {
    await produceTelemetry(topics.telemetry, records);
    produced += records.length;
  };

  /**
   * The model's events of one rule, read to the topic's high-water mark once the service has
   * committed everything produced so far: exactly what it emitted, duplicates and extras included.
   */
  async function exactEventsFor(modelId: string, rule: string): Promise<ReliabilityEvent[]> {
    await waitFor(
      'every record produced so far committed',
      async () => (await committedCount(groupId, topics.telemetry)) === produced,
    );
    return parseValues<ReliabilityEvent>(
      (await readAll(topics.reliabilityEvents)).filter((m) => m.key === modelId),
    ).filter((e) => e.rule === rule);
  }

  beforeAll(async () => {
    topics = await freshTopics();
    ({
      app,
      config: { groupId },
    } = await startIngestion(topics, {
      rules: { defaults: { stale: { afterMs: 1500 } } },
      staleCheckIntervalMs: 250,
    }));
  });
  afterAll(async () => {
    await app.close();
    await closeTestProducer();
  });

  /** The model's events, waiting until `count` of them belong to `rule`. */
  async function eventsFor(
    modelId: string,
    count: number,
    rule: string,
  ): Promise<ReliabilityEvent[]> {
    const mine = (ms: ReadMessage[]) =>
      parseValues<ReliabilityEvent>(ms.filter((m) => m.key === modelId)).filter(
        (e) => e.rule === rule,
      );
    return mine(await readTopic(topics.reliabilityEvents, (ms) => mine(ms).length >= count));
  }

  const cases: [string, (id: string) => TelemetryRecord[], string[]][] = [
    [
      'accuracy',
      accuracyScenario,
      ['accuracy.opened:warning', 'accuracy.updated:critical', 'accuracy.resolved:critical'],
    ],
    [
      'error budget',
      errorBudgetScenario,
      [
        'error_budget.opened:critical',
        'error_budget.updated:warning',
        'error_budget.resolved:warning',
      ],
    ],
    [
      'latency SLO',
      latencyScenario,
      [
        'latency_slo.opened:critical',
        'latency_slo.updated:warning',
        'latency_slo.resolved:warning',
      ],
    ],
    [
      'feature drift',
      driftScenario,
      ['feature_drift.opened:critical', 'feature_drift.resolved:critical'],
    ],
  ];

  it.each(cases)(
    '%s opens and resolves with the expected events',
    async (name, scenario, expected) => {
      const modelId = `it-${name.toLowerCase().replace(/\s/g, '-')}`;
      await produce(scenario(modelId));
      const rule = expected[0].split('.')[0];
      const events = await exactEventsFor(modelId, rule);
      expect(events.map((e) => `${e.type}:${e.severity}`)).toEqual(expected);
      expect(new Set(events.map((e) => e.incidentId)).size).toBe(1);
      for (const e of events) expect(e.schema).toBe('fulcrum.reliability/v1');
    },
  );

  it('telemetry stale opens after silence (processing time) and resolves on the next record', async () => {
    const modelId = 'it-stale';
    await produce([prediction(modelId, Date.UTC(2026, 0, 1))]);
    const opened = await eventsFor(modelId, 1, 'telemetry_stale');
    expect(opened.map((e) => e.type)).toEqual(['telemetry_stale.opened']);
    await produce([prediction(modelId, Date.UTC(2026, 0, 1, 0, 1))]);
    // With a 1.5 s threshold the model may fall silent again before this reader runs: the first
    // two events are the story; anything after them can only be a new incident opening.
    const events = await eventsFor(modelId, 2, 'telemetry_stale');
    expect(events.slice(0, 2).map((e) => e.type)).toEqual([
      'telemetry_stale.opened',
      'telemetry_stale.resolved',
    ]);
    expect(events[1].incidentId).toBe(events[0].incidentId);
    for (const later of events.slice(2)) {
      expect(later.type).toBe('telemetry_stale.opened');
      expect(later.incidentId).not.toBe(events[0].incidentId);
    }
  });

  it('exposes the consumed, emitted and open-incident metrics', async () => {
    // Self-contained: counts what this case sends, whatever ran before it in the file.
    const metric = async (pattern: RegExp) => {
      const text = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
      return Number(pattern.exec(text)?.[1] ?? 0);
    };
    const consumed = /^fulcrum_ingestion_records_consumed_total\{kind="quality"\} (\d+)$/m;
    const opened =
      /^fulcrum_ingestion_reliability_events_emitted_total\{rule="accuracy",transition="opened"\} (\d+)$/m;
    const before = { consumed: await metric(consumed), opened: await metric(opened) };
    const scenario = accuracyScenario('it-metrics');
    await produce(scenario);
    await eventsFor('it-metrics', 3, 'accuracy');
    await waitFor(
      'the counters to move',
      async () =>
        (await metric(opened)) === before.opened + 1 &&
        (await metric(consumed)) === before.consumed + scenario.length,
    );
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.text).toMatch(
      /^fulcrum_ingestion_batch_duration_seconds_bucket\{le="[^"]+"\} \d+$/m,
    );
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });
});
