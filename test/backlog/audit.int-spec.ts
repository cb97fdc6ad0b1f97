import type { INestApplication } from '@nestjs/common';
import type { MongoClient } from 'mongodb';
import request from 'supertest';
import type { ModelStatus } from '@fulcrum/contracts';
import { KEYS, startBacklog } from '../support/backlog-app';
import { closeTestProducer, produceTelemetry, waitFor } from '../support/kafka-test-kit';

/**
 * The technical-debt audit on the real servers: model statuses arrive on the model-status topic
 * (a plain producer, as metrics-ingestion sends them), profiles through the API; gaps become
 * technical-debt items, resolve when fixed, and redelivery opens nothing twice.
 */
const editor = { 'X-API-Key': KEYS.editor };
const statusTopic = process.env.FULCRUM_TOPIC_MODEL_STATUS!;

function status(
  modelId: string,
  at: string,
  over: Partial<ModelStatus['coverage']> = {},
): ModelStatus {
  return {
    schema: 'fulcrum.model-status/v1',
    modelId,
    modelVersion: 'v3',
    versionFirstSeenAt: '2026-04-01T00:00:00.000Z',
    at,
    lastHour: { requests: { realtime: 6000, batch: 0 }, errorRatio: 0.001, slowRatio: 0.01 },
    accuracy: { value: 0.93, labeled: 400, labelLagSeconds: 300 },
    drift: { maxScore: 0.02, driftingFeatures: [] },
    openIncidents: [],
    coverage: {
      referenceSource: 'baseline',
      featuresSeen: 3,
      featuresWithReference: 3,
      lastLabelsAt: at,
      lastLatencyAt: at,
      lastRecordAt: at,
      ...over,
    },
  };
}

describe('technical-debt audit: gaps become work and resolve', () => {
  let app: INestApplication;
  let client: MongoClient;
  beforeAll(async () => {
    ({ app, client } = await startBacklog({ consume: true }));
  });
  afterAll(async () => {
    await app.close();
    await client.close();
    await closeTestProducer();
  });

  const send = (statuses: ModelStatus[]) =>
    produceTelemetry(
      statusTopic,
      statuses.map((s) => ({ key: s.modelId, value: JSON.stringify(s) })),
    );

  it('labels stop → the check fails after the expected delay → an item opens; labels resume → it resolves', async () => {
    const http = request(app.getHttpServer());
    const audit = async (modelId: string) =>
      (await http.get(`/api/v1/models/${modelId}/audit`).set(editor)).body;
    await http
      .put('/api/v1/models/audit-m/profile')
      .set(editor)
      .send({
        ownerTeam: 'risk-ml',
        tier: 1,
        kpi: 'checkout conversion',
        valuePerRequest: 0.3,
        interaction: 'realtime',
        expectedAccuracy: 0.9,
        expectedLabelDelayHours: 2,
        retrainingCadenceDays: 30,
        upstream: [{ name: 'payments', kind: 'kafka-topic', owner: 'payments' }],
        downstream: [],
      })
      .expect(201);

    // 10:00, labels just in: every check passes.
    await send([status('audit-m', '2026-04-02T10:00:00.000Z')]);
    const full = await waitFor('the first audit', async () => {
      const a = await audit('audit-m');
      return a.at === '2026-04-02T10:00:00.000Z' && a;
    });
    expect(full).toMatchObject({ coverage: 1, failing: [], gaps: [], tier: 1 });

    // 11:30, labels last seen at 10:00: 1.5 h, within the 2 h the profile expects.
    await send([
      status('audit-m', '2026-04-02T11:30:00.000Z', { lastLabelsAt: '2026-04-02T10:00:00.000Z' }),
    ]);
    await waitFor(
      '11:30 audited',
      async () => (await audit('audit-m')).at === '2026-04-02T11:30:00.000Z',
    );
    expect((await audit('audit-m')).failing).toEqual([]);

    // 13:00: 3 h without labels → labels-timely fails → one technical-debt item.
    const late = status('audit-m', '2026-04-02T13:00:00.000Z', {
      lastLabelsAt: '2026-04-02T10:00:00.000Z',
    });
    await send([late]);
    const failing = await waitFor('the labels gap', async () => {
      const a = await audit('audit-m');
      return a.gaps.length === 1 && a;
    });
    expect(failing).toMatchObject({ failing: ['labels-timely'], coverage: 0.9 });
    expect(
      failing.checks.find((c: { check: string }) => c.check === 'labels-timely'),
    ).toMatchObject({
      outcome: 'fail',
      evidence: { ageHours: 3, expectedWithinHours: 2 },
    });
    const itemId = failing.gaps[0].itemId as string;
    expect(itemId).toMatch(/^debt-[0-9a-f-]{36}$/);
    const item = (await http.get(`/api/v1/items/${itemId}`).set(editor).expect(200)).body;
    expect(item).toMatchObject({
      backlog: 'reliability',
      quadrant: 'technical-debt',
      linkedModels: ['audit-m'],
      audit: { check: 'labels-timely', open: true },
      impact: { effective: 'derived' },
    });
    // Tier 1 → 6, worth ≥ 0.10 a request → +1; missing labels weigh 7.
    expect(item.scores).toMatchObject({ userImpact: 7, systemRisk: 7 });

    // Redelivered (the same record twice) and a later status still failing: nothing opens twice.
    const before = (await http.get(`/api/v1/items/${itemId}/history`).set(editor)).body.items
      .length;
    await send([
      late,
      late,
      status('audit-m', '2026-04-02T13:05:00.000Z', { lastLabelsAt: '2026-04-02T10:00:00.000Z' }),
    ]);
    await waitFor(
      '13:05 audited',
      async () => (await audit('audit-m')).at === '2026-04-02T13:05:00.000Z',
    );
    expect((await http.get(`/api/v1/items/${itemId}/history`).set(editor)).body.items).toHaveLength(
      before,
    );

    // 14:00, labels again: the gap resolves, recorded on the item (never deleted).
    await send([status('audit-m', '2026-04-02T14:00:00.000Z')]);
    const resolved = await waitFor('the gap resolved', async () => {
      const i = (await http.get(`/api/v1/items/${itemId}`).set(editor)).body;
      return i.audit?.open === false && i;
    });
    expect(resolved.audit).toMatchObject({ resolvedAt: '2026-04-02T14:00:00.000Z', reopened: 0 });
    expect((await audit('audit-m')).coverage).toBe(1);
    const types = (await http.get(`/api/v1/items/${itemId}/history`).set(editor)).body.items.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toEqual(['ItemProposed', 'AuditGapOpened', 'AuditGapResolved']);
  });

  it('the all-models audit sorts by coverage and filters by failing check; gauges carry it', async () => {
    const http = request(app.getHttpServer());
    // A model nobody profiled, with a first-N reference and no labels ever.
    await send([
      status('audit-bare', '2026-04-02T10:00:00.000Z', {
        referenceSource: 'first-predictions',
        lastLabelsAt: null,
      }),
    ]);
    await waitFor(
      'audit-bare audited',
      async () => (await http.get('/api/v1/models/audit-bare/audit').set(editor)).status === 200,
    );
    const lowest = (await http.get('/api/v1/audit').set(editor).expect(200)).body.items;
    const ids = lowest.map((a: { modelId: string }) => a.modelId);
    expect(ids.indexOf('audit-bare')).toBeLessThan(ids.indexOf('audit-m'));
    const bare = lowest.find((a: { modelId: string }) => a.modelId === 'audit-bare');
    expect(bare.failing).toEqual([
      'has-owner',
      'has-kpi-and-value',
      'reference-from-baseline',
      'labels-timely',
      'upstream-declared',
    ]);
    // 4 of 9 applicable (version-within-cadence needs a profile).
    expect(bare).toMatchObject({ passed: 4, applicable: 9, coverage: 0.4444 });
    const highest = (await http.get('/api/v1/audit?sort=-coverage').set(editor)).body.items;
    expect(highest[0].modelId).toBe('audit-m');
    const noOwner = (await http.get('/api/v1/audit?failing=has-owner').set(editor)).body.items;
    expect(noOwner.map((a: { modelId: string }) => a.modelId)).toEqual(['audit-bare']);
    await http.get('/api/v1/audit?failing=no-such-check').set(editor).expect(400);

    // Paginated as every list is: limit and cursor, pages in the same order as one long page.
    const page1 = (await http.get('/api/v1/audit?limit=1').set(editor).expect(200)).body;
    expect(page1.items).toHaveLength(1);
    expect(typeof page1.nextCursor).toBe('string');
    const page2 = (
      await http.get(`/api/v1/audit?limit=200&cursor=${page1.nextCursor}`).set(editor).expect(200)
    ).body;
    expect([...page1.items, ...page2.items].map((a: { modelId: string }) => a.modelId)).toEqual(
      ids,
    );
    expect(page2.nextCursor).toBeNull();
    // A cursor from another order, or one the API never issued: 400.
    await http
      .get(`/api/v1/audit?sort=-coverage&cursor=${page1.nextCursor}`)
      .set(editor)
      .expect(400);
    await http.get('/api/v1/audit?cursor=bogus').set(editor).expect(400);
    await http.get('/api/v1/audit?limit=201').set(editor).expect(400);

    const metrics = (await http.get('/metrics')).text;
    expect(metrics).toMatch(/^fulcrum_model_audit_coverage_ratio\{model="audit-m",tier="1"\} 1$/m);
    expect(metrics).toMatch(
      /^fulcrum_model_audit_coverage_ratio\{model="audit-bare",tier="none"\} 0\.4444$/m,
    );
    expect(metrics).toMatch(/^fulcrum_audit_failing_models\{check="has-owner"\} 1$/m);

    // A profile alone (no new status) re-runs the audit: the owner gap resolves on its item.
    await http
      .put('/api/v1/models/audit-bare/profile')
      .set(editor)
      .send({
        ownerTeam: 'search',
        tier: 3,
        kpi: 'clicks',
        valuePerRequest: 0.01,
        interaction: 'realtime',
        expectedAccuracy: 0.9,
        expectedLabelDelayHours: 24,
        retrainingCadenceDays: 30,
        upstream: [],
        downstream: [],
      })
      .expect(201);
    const gaps = (await http.get('/api/v1/models/audit-bare/audit').set(editor)).body.gaps as {
      check: string;
      open: boolean;
    }[];
    expect(gaps.find((g) => g.check === 'has-owner')).toMatchObject({ open: false });
    expect(gaps.find((g) => g.check === 'upstream-declared')).toMatchObject({ open: true });
  });
});
