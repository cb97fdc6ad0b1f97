import { randomUUID } from 'node:crypto';
import { KEYS } from '../support/backlog-app';
import {
  closeTestProducer,
  freshTopics,
  MONGO_URI_BASE,
  produceTelemetry,
  testKafka,
  waitFor,
} from '../support/kafka-test-kit';
import { kill, spawnService, type ServiceProcess } from '../support/processes';

/**
 * The backlog's configuration table in the README, read as a user would: the compiled service is
 * started once with a non-default value of every variable below, and each row checks its effect
 * from outside (HTTP, Kafka's group list, the process's own log lines) against what the default
 * would have given. Statuses and events are produced with a plain Kafka producer as the README
 * documents them.
 */
const group = `cfg-backlog-${randomUUID().slice(0, 8)}`;
const SETTINGS: Record<string, string> = {
  FULCRUM_VALUE_CURRENCY: 'USD',
  FULCRUM_CEREMONY_CADENCE_DAYS: '7',
  FULCRUM_BODY_LIMIT_BYTES: '2048',
  FULCRUM_ALLOCATION_BASE_PERCENT: '30',
  FULCRUM_ALLOCATION_PER_BLOCKING_MODEL_PERCENT: '5',
  FULCRUM_ALLOCATION_CAP_PERCENT: '40',
  FULCRUM_LOG_LEVEL: 'warn',
  FULCRUM_BACKLOG_GROUP_ID: group,
  FULCRUM_AUDIT_MAX_SLOW_RATIO: '0.5',
  FULCRUM_AUDIT_DEFAULT_LABEL_DELAY_HOURS: '1',
};

const AT = '2026-03-02T10:00:00.000Z';
const hoursBefore = (h: number) => new Date(Date.parse(AT) - h * 3_600_000).toISOString();

/** A model status as the README's example shows it: 20 % slow, labels two hours old, no profile. */
const status = (modelId: string) => ({
  schema: 'fulcrum.model-status/v1',
  modelId,
  modelVersion: 'v1',
  versionFirstSeenAt: hoursBefore(48),
  at: AT,
  lastHour: { requests: { realtime: 1000, batch: 0 }, errorRatio: 0, slowRatio: 0.2 },
  accuracy: { value: 0.9, labeled: 400, labelLagSeconds: 600 },
  drift: { maxScore: 0.01, driftingFeatures: [] },
  openIncidents: [],
  coverage: {
    referenceSource: 'baseline',
    featuresSeen: 2,
    featuresWithReference: 2,
    lastLabelsAt: hoursBefore(2),
    lastLatencyAt: AT,
    lastRecordAt: AT,
  },
  thresholds: {
    accuracy: 0.85,
    accuracyCritical: 0.8,
    errorRatio: 0.005,
    slowRatio: 0.01,
    drift: 0.25,
  },
});

/** An accuracy incident opened below its threshold: the model blocks adoption (README). */
const accuracyOpened = (modelId: string) => {
  const incidentId = randomUUID();
  return {
    schema: 'fulcrum.reliability/v1',
    eventId: randomUUID(),
    type: 'accuracy.opened',
    incidentId,
    modelId,
    modelVersion: 'v1',
    rule: 'accuracy',
    severity: 'critical',
    observed: 0.7,
    threshold: 0.85,
    window: { start: hoursBefore(1), end: AT },
    evidence: { labeled: 400, correct: 280 },
    eventTime: AT,
    emittedAt: new Date().toISOString(),
  };
};

describe('configuration: every variable the README lists for the backlog has its effect', () => {
  let backlog: ServiceProcess;
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  const base = () => `http://127.0.0.1:${backlog.port}/api/v1`;
  const get = async <T>(path: string) => {
    const res = await fetch(`${base()}${path}`, { headers: { 'X-API-Key': KEYS.viewer } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const post = (path: string, body: string) =>
    fetch(`${base()}${path}`, {
      method: 'POST',
      headers: { 'X-API-Key': KEYS.editor, 'Content-Type': 'application/json' },
      body,
    });
  const recommended = async () =>
    (await get<{ recommended: { reliabilityPercent: number } }>('/allocation')).body.recommended
      .reliabilityPercent;

  beforeAll(async () => {
    topics = await freshTopics(1);
    backlog = await spawnService('backlog', {
      FULCRUM_MONGO_URI: `${MONGO_URI_BASE}/fulcrum_cfg_${randomUUID().slice(0, 8)}`,
      FULCRUM_API_KEYS: `viewer:viewer:${KEYS.viewer},alice:editor:${KEYS.editor}`,
      FULCRUM_TOPIC_RELIABILITY_EVENTS: topics.reliabilityEvents,
      FULCRUM_TOPIC_MODEL_STATUS: topics.modelStatus,
      FULCRUM_RATE_LIMIT_PER_MINUTE: '100000',
      ...SETTINGS,
    });
  }, 90_000);
  afterAll(async () => {
    if (backlog) await kill(backlog);
    await closeTestProducer();
  });

  it('FULCRUM_BACKLOG_GROUP_ID: both intakes consume in groups named from it', async () => {
    const admin = testKafka.admin();
    await admin.connect();
    try {
      const names = [`${group}-server`, `${group}.model-status-server`];
      const described = await waitFor('both groups with a member', async () => {
        const { groups } = await admin.describeGroups(names);
        return groups.every((g) => g.members.length > 0) ? groups : undefined;
      });
      expect(described.map((g) => g.groupId).sort()).toEqual(names.sort());
    } finally {
      await admin.disconnect();
    }
  });

  it('FULCRUM_AUDIT_MAX_SLOW_RATIO and FULCRUM_AUDIT_DEFAULT_LABEL_DELAY_HOURS judge the audit', async () => {
    await produceTelemetry(topics.modelStatus, [
      { key: 'cfg-audited', value: JSON.stringify(status('cfg-audited')) },
    ]);
    const audit = await waitFor('the audit of the status', async () => {
      const res = await get<{ checks: { check: string; outcome: string; evidence: object }[] }>(
        '/models/cfg-audited/audit',
      );
      return res.status === 200 && res.body.checks.length > 0 ? res.body : undefined;
    });
    const check = (name: string) => audit.checks.find((c) => c.check === name)!;
    // 0.2 slow passes under 0.5 (the default 0.05 fails it) ...
    expect(check('latency-within-target')).toMatchObject({
      outcome: 'pass',
      evidence: { slowRatio: 0.2, maxSlowRatio: 0.5 },
    });
    // ... and labels 2 h old fail against 1 h (the default 24 h passes them).
    expect(check('labels-timely')).toMatchObject({
      outcome: 'fail',
      evidence: { ageHours: 2, expectedWithinHours: 1 },
    });
  });

  it('FULCRUM_VALUE_CURRENCY is the currency of value at risk', async () => {
    const { status: code, body } = await get<{ valueAtRisk: { currency: string } }>(
      '/models/cfg-audited',
    );
    expect(code).toBe(200);
    expect(body.valueAtRisk.currency).toBe('USD');
  });

  it('the allocation policy variables: base 30 %, +5 % per blocking model, capped at 40 %', async () => {
    // Defaults would give 20, 30, 50.
    expect(await recommended()).toBe(30);
    await produceTelemetry(topics.reliabilityEvents, [
      { key: 'cfg-blocking-1', value: JSON.stringify(accuracyOpened('cfg-blocking-1')) },
    ]);
    await waitFor('one blocking model', async () => (await recommended()) === 35);
    await produceTelemetry(
      topics.reliabilityEvents,
      ['cfg-blocking-2', 'cfg-blocking-3'].map((m) => ({
        key: m,
        value: JSON.stringify(accuracyOpened(m)),
      })),
    );
    await waitFor('three blocking models, at the cap', async () => {
      const res = await get<{
        recommended: { reliabilityPercent: number; blockingModels: number };
      }>('/allocation');
      return res.body.recommended.blockingModels === 3 ? res.body.recommended : undefined;
    });
    expect(await recommended()).toBe(40);
  });

  it('FULCRUM_CEREMONY_CADENCE_DAYS is the cadence of a ceremony scheduled without one', async () => {
    const res = await post(
      '/ceremonies',
      JSON.stringify({ title: 'Config check', scheduledFor: '2026-03-09T09:00:00Z' }),
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { cadenceDays: number }).cadenceDays).toBe(7);
  });

  it('FULCRUM_BODY_LIMIT_BYTES: a body over 2,048 bytes is refused with 413 problem+json, one under it is not', async () => {
    const item = (description: string) =>
      JSON.stringify({
        backlog: 'capability',
        quadrant: 'innovation',
        title: 'Body size check',
        description,
        linkedModels: [],
        scores: { userImpact: 5, systemRisk: 3, timeCriticality: 4, effort: 3, confidence: 0.7 },
      });
    const over = await post('/items', item('x'.repeat(2100)));
    expect(over.status).toBe(413);
    expect(over.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const under = await post('/items', item('x'.repeat(1500)));
    expect(under.status).toBe(201);
  });

  it('FULCRUM_LOG_LEVEL=warn: nothing below warn is logged, though the service did log-worthy work', () => {
    const lines = backlog
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    // At the default (info) the start-up alone writes info lines (30); at warn none may appear.
    expect(lines.filter((l) => l.level < 40)).toEqual([]);
  });
});
