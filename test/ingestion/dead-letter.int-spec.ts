import type { INestApplication } from '@nestjs/common';
import { DLQ_HEADERS, type ReliabilityEvent, type TopicNames } from '@fulcrum/contracts';
import request from 'supertest';
import { accuracyScenario } from '@fulcrum/testing';
import { prediction } from '@fulcrum/testing';
import { startIngestion } from '../support/ingestion-app';
import {
  closeTestProducer,
  freshTopics,
  parseValues,
  produceTelemetry,
  readAll,
  committedCount,
  waitFor,
} from '../support/kafka-test-kit';

describe('invalid telemetry goes to the dead-letter topic and the partition keeps flowing', () => {
  let topics: TopicNames;
  let app: INestApplication;
  let groupId: string;

  beforeAll(async () => {
    topics = await freshTopics(1);
    ({
      app,
      config: { groupId },
    } = await startIngestion(topics));
  });
  afterAll(async () => {
    await app.close();
    await closeTestProducer();
  });

  it('dead-letters each bad record with its original bytes and a reason, then processes the rest', async () => {
    const modelId = 'it-dlq';
    const scenario = accuracyScenario(modelId);
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const huge = JSON.stringify({
      ...prediction(modelId, Date.UTC(2026, 0, 5)),
      predictionId: 'x'.repeat(70_000),
    });
    const bad: {
      key: string | null;
      value: Buffer | string | null;
      code: string;
      field?: string;
    }[] = [
      { key: modelId, value: '{not json', code: 'invalid-json' },
      { key: modelId, value: invalidUtf8, code: 'invalid-utf8' },
      {
        key: modelId,
        value: JSON.stringify({ ...prediction(modelId, Date.UTC(2026, 0, 5)), latencyMs: -3 }),
        code: 'schema',
        field: '/latencyMs',
      },
      {
        key: modelId,
        value: JSON.stringify({ ...prediction(modelId, Date.UTC(2026, 0, 5)), outcome: 'maybe' }),
        code: 'schema',
        field: '/outcome',
      },
      {
        key: modelId,
        value: JSON.stringify({ ...prediction(modelId, Date.UTC(2026, 0, 5)), extra: 1 }),
        code: 'schema',
        field: '/extra',
      },
      {
        key: modelId,
        value: JSON.stringify({ ...scenario[0], correct: 500 }),
        code: 'semantic',
        field: '/correct',
      },
      {
        key: 'someone-else',
        value: JSON.stringify(prediction(modelId, Date.UTC(2026, 0, 5))),
        code: 'key-mismatch',
        field: '/modelId',
      },
      {
        key: modelId,
        value: JSON.stringify({ ...prediction(modelId, Date.UTC(2026, 0, 5)), kind: 'banana' }),
        code: 'unknown-kind',
        field: '/kind',
      },
      { key: modelId, value: '[1,2,3]', code: 'not-an-object' },
      { key: modelId, value: huge, code: 'too-large' },
      { key: modelId, value: '['.repeat(5000) + ']'.repeat(5000), code: 'not-an-object' },
    ];
    // Bad records interleaved with the valid scenario on the same partition.
    const mixed = scenario.flatMap((record, i) => (i < bad.length ? [bad[i], record] : [record]));
    await produceTelemetry(
      topics.telemetry,
      mixed.map((m) => ('code' in m ? { key: m.key, value: m.value } : m)),
    );

    // Exactly what was dead-lettered: read to the high-water mark once every offset is committed.
    await waitFor(
      'every record committed',
      async () => (await committedCount(groupId, topics.telemetry)) === mixed.length,
    );
    const dlq = await readAll(topics.telemetryDlq);
    expect(dlq).toHaveLength(bad.length);
    dlq.forEach((message, i) => {
      const original = bad[i];
      expect(message.headers[DLQ_HEADERS.reasonCode]).toBe(original.code);
      if (original.field) expect(message.headers[DLQ_HEADERS.field]).toBe(original.field);
      expect(message.headers[DLQ_HEADERS.reason].length).toBeGreaterThan(10);
      expect(message.headers[DLQ_HEADERS.sourceTopic]).toBe(topics.telemetry);
      expect(message.headers[DLQ_HEADERS.sourcePartition]).toBe('0');
      expect(Number(message.headers[DLQ_HEADERS.sourceOffset])).toBe(i * 2);
      expect(
        message.value!.equals(
          Buffer.isBuffer(original.value) ? original.value : Buffer.from(original.value!),
        ),
      ).toBe(true);
      expect(message.key).toBe(original.key);
    });

    const events = parseValues<ReliabilityEvent>(await readAll(topics.reliabilityEvents));
    expect(events.map((e) => e.type)).toEqual([
      'accuracy.opened',
      'accuracy.updated',
      'accuracy.resolved',
    ]);

    const metrics = (await request(app.getHttpServer()).get('/metrics')).text;
    expect(metrics).toMatch(/^fulcrum_ingestion_records_invalid_total\{reason="schema"\} 3$/m);
    // A filtered scrape (`name[]`, as the Prometheus Java client offers) carries only what was asked.
    const one = (
      await request(app.getHttpServer())
        .get('/metrics')
        .query('name[]=fulcrum_ingestion_records_invalid_total&name[]=no_such_metric')
    ).text;
    expect(one).toMatch(/^# HELP fulcrum_ingestion_records_invalid_total /);
    expect(one).toMatch(/^fulcrum_ingestion_records_invalid_total\{reason="schema"\} 3$/m);
    expect(one).not.toContain('fulcrum_ingestion_models_tracked');
  });

  it('counts records beyond the allowed lateness as late instead of applying them', async () => {
    const modelId = 'it-late';
    const t = Date.UTC(2026, 0, 6);
    await produceTelemetry(topics.telemetry, [
      prediction(modelId, t + 30 * 60_000),
      prediction(modelId, t + 29 * 60_000),
      prediction(modelId, t),
    ]);
    const deadline = Date.now() + 30_000;
    let metrics = '';
    while (Date.now() < deadline) {
      metrics = (await request(app.getHttpServer()).get('/metrics')).text;
      if (/^fulcrum_ingestion_records_late_total\{kind="prediction"\} 1$/m.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(metrics).toMatch(/^fulcrum_ingestion_records_late_total\{kind="prediction"\} 1$/m);
  });

  it('refuses a record dated beyond the allowed clock skew: DLQ with its own reason, no state touched', async () => {
    // The case: while a critical accuracy incident is open, one valid quality record from
    // a clock 30 days ahead. It must not move the watermark, emit anything or downgrade anything.
    const modelId = 'it-future';
    const scenario = accuracyScenario(modelId);
    const future = {
      ...scenario[4],
      eventTime: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      windowStart: new Date(Date.now() + 30 * 86_400_000 - 300_000).toISOString(),
      windowEnd: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      correct: 199,
    };
    const bytes = JSON.stringify(future);
    const records = [...scenario.slice(0, 7), { key: modelId, value: bytes }, ...scenario.slice(7)];
    await produceTelemetry(topics.telemetry, records);
    const dlq = await waitFor('the future record in the DLQ', async () => {
      const all = await readAll(topics.telemetryDlq);
      const mine = all.filter((m) => m.key === modelId);
      return mine.length > 0 && mine;
    });
    expect(dlq).toHaveLength(1);
    expect(dlq[0].headers[DLQ_HEADERS.reasonCode]).toBe('event-time-in-future');
    expect(dlq[0].headers[DLQ_HEADERS.field]).toBe('/eventTime');
    expect(dlq[0].headers[DLQ_HEADERS.reason]).toMatch(/ahead of the receiving clock/);
    expect(dlq[0].value!.toString('utf8')).toBe(bytes);

    // Every later on-time record still counted: the incident escalates and resolves as without it.
    const mine = () =>
      readAll(topics.reliabilityEvents).then((ms) =>
        parseValues<ReliabilityEvent>(ms.filter((m) => m.key === modelId)),
      );
    await waitFor('the accuracy incident to resolve', async () =>
      (await mine()).some((e) => e.type === 'accuracy.resolved'),
    );
    const events = await mine();
    expect(events.map((e) => `${e.type}:${e.severity}`)).toEqual([
      'accuracy.opened:warning',
      'accuracy.updated:critical',
      'accuracy.resolved:critical',
    ]);
    expect(events.every((e) => Date.parse(e.eventTime) < Date.UTC(2026, 0, 6))).toBe(true);
    const metrics = (await request(app.getHttpServer()).get('/metrics')).text;
    expect(metrics).toMatch(
      /^fulcrum_ingestion_records_invalid_total\{reason="event-time-in-future"\} 1$/m,
    );
  });
});
