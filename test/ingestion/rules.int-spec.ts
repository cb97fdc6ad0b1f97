import type { INestApplication } from '@nestjs/common';
import type { ReliabilityEvent, TelemetryRecord, TopicNames } from '@fulcrum/contracts';
import request from 'supertest';
import {
  accuracyScenario,
  driftScenario,
  errorBudgetScenario,
  latencyScenario,
} from '../../tools/simulator/src/scenarios';
import { prediction } from '../../tools/simulator/src/telemetry-builders';
import { startIngestion } from '../support/ingestion-app';
import {
  closeTestProducer,
  freshTopics,
  parseValues,
  produceTelemetry,
  readTopic,
  type ReadMessage,
} from '../support/kafka-test-kit';

/** Each rule's scripted scenario through the real broker: the exact events, in order. */
describe('metrics-ingestion rules on the real stack', () => {
  let topics: TopicNames;
  let app: INestApplication;

  beforeAll(async () => {
    topics = await freshTopics();
    ({ app } = await startIngestion(topics, {
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
      await produceTelemetry(topics.telemetry, scenario(modelId));
      const rule = expected[0].split('.')[0];
      const events = await eventsFor(modelId, expected.length, rule);
      expect(events.map((e) => `${e.type}:${e.severity}`)).toEqual(expected);
      expect(new Set(events.map((e) => e.incidentId)).size).toBe(1);
      for (const e of events) expect(e.schema).toBe('fulcrum.reliability/v1');
    },
  );

  it('telemetry stale opens after silence (processing time) and resolves on the next record', async () => {
    const modelId = 'it-stale';
    await produceTelemetry(topics.telemetry, [prediction(modelId, Date.UTC(2026, 0, 1))]);
    const opened = await eventsFor(modelId, 1, 'telemetry_stale');
    expect(opened.map((e) => e.type)).toEqual(['telemetry_stale.opened']);
    await produceTelemetry(topics.telemetry, [prediction(modelId, Date.UTC(2026, 0, 1, 0, 1))]);
    const both = await eventsFor(modelId, 2, 'telemetry_stale');
    expect(both.map((e) => e.type)).toEqual(['telemetry_stale.opened', 'telemetry_stale.resolved']);
    expect(both[1].incidentId).toBe(both[0].incidentId);
  });

  it('exposes the consumed, emitted and open-incident metrics', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.text).toMatch(/fulcrum_ingestion_records_consumed_total\{kind="quality"\} \d+/);
    expect(res.text).toMatch(
      /fulcrum_ingestion_reliability_events_emitted_total\{rule="accuracy",transition="opened"\} 1/,
    );
    expect(res.text).toMatch(/fulcrum_ingestion_batch_duration_seconds_bucket/);
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });
});
