import { journey } from '../support/journey-steps';
import { randomUUID } from 'node:crypto';
import { topicEnv, parseModelStatus, type ModelStatus } from '@fulcrum/contracts';
import { window } from '@fulcrum/testing';
import {
  closeTestProducer,
  freshTopics,
  MONGO_URI_BASE,
  parseValues,
  produceTelemetry,
  readAll,
  waitFor,
} from '../support/kafka-test-kit';
import { kill, spawnService, type ServiceProcess } from '../support/processes';

/**
 * Deciding with numbers, end to end on the real servers and both services as processes: two
 * models with the same incident, one revenue-critical and one internal, ranked by value at risk
 * and explained; a profile versioned and read as of a time; a deferred item's cost of delay growing
 * with event time and shown on the decision; an override that derivation does not undo; the gauges.
 */
// Responses are read as a client reads JSON: loosely typed, checked by the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const VIEWER = 'impact-viewer-0123456789';
const EDITOR = 'impact-editor-0123456789';
const MIN = 60_000;
const T0 = Date.UTC(2026, 1, 3);

/** 5-minute windows of 1,000 realtime requests; 20 % errors from 02:00 on. */
function traffic(modelId: string, from: number, to: number) {
  const out = [];
  for (let i = from; i < to; i++)
    out.push(
      window(modelId, T0 + i * 5 * MIN, T0 + (i + 1) * 5 * MIN, {
        count: 1000,
        errors: i >= 24 ? 200 : 0,
      }),
    );
  return out;
}

const profile = (tier: 1 | 2 | 3, valuePerRequest: number, kpi: string) => ({
  ownerTeam: 'risk-ml',
  tier,
  kpi,
  valuePerRequest,
  interaction: 'realtime',
  expectedAccuracy: 0.95,
  expectedLabelDelayHours: 24,
  retrainingCadenceDays: 30,
  upstream: [{ name: 'payments-events', kind: 'kafka-topic', owner: 'payments-platform' }],
  downstream: ['checkout-service'],
});

describe('journey: value at risk, cost of delay and scores that explain themselves', () => {
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGTERM');
    await closeTestProducer();
  });

  it(
    'ranks the revenue-critical model first, explains why, and prices a deferral',
    journey(async (step) => {
      const topics = await freshTopics(3);
      const suffix = randomUUID().slice(0, 8);
      const env = {
        ...topicEnv(topics),
        FULCRUM_MONGO_URI: `${MONGO_URI_BASE}/fulcrum_impact_${suffix}`,
        FULCRUM_API_KEYS: `viewer:viewer:${VIEWER},lead:editor:${EDITOR}`,
        FULCRUM_INGESTION_GROUP_ID: `impact-ingestion-${suffix}`,
        FULCRUM_BACKLOG_GROUP_ID: `impact-backlog-${suffix}`,
        FULCRUM_RATE_LIMIT_PER_MINUTE: '100000',
        FULCRUM_VALUE_CURRENCY: 'EUR',
      };
      running.push(await spawnService('metrics-ingestion', env));
      const backlog = await spawnService('backlog', env);
      running.push(backlog);
      const base = `http://127.0.0.1:${backlog.port}`;
      const call = async (
        method: string,
        path: string,
        key: string,
        body?: unknown,
        headers = {},
      ) => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return {
          status: res.status,
          etag: res.headers.get('etag'),
          body: (await res.json()) as Json,
        };
      };

      const checkout = `checkout-fraud-${suffix}`;
      const report = `weekly-report-${suffix}`;
      const orphan = `orphan-model-${suffix}`;

      step('Profiles: written, versioned, read as of a time');
      const first = await call(
        'PUT',
        `/api/v1/models/${checkout}/profile`,
        EDITOR,
        profile(1, 0.5, 'checkout'),
      );
      expect(first.status).toBe(201);
      expect(first.etag).toBe('"1"');
      const between = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 20)); // a distinct recordedAt for the second version
      const stale = await call(
        'PUT',
        `/api/v1/models/${checkout}/profile`,
        EDITOR,
        profile(1, 0.5, 'conversion'),
        {
          'If-Match': '"7"',
        },
      );
      expect(stale.status).toBe(412);
      const second = await call(
        'PUT',
        `/api/v1/models/${checkout}/profile`,
        EDITOR,
        profile(1, 0.5, 'conversion'),
        {
          'If-Match': '"1"',
        },
      );
      expect(second).toMatchObject({ status: 200, etag: '"2"' });
      const then = await call('GET', `/api/v1/models/${checkout}/profile?asOf=${between}`, VIEWER);
      expect(then.body).toMatchObject({ version: 1, profile: { kpi: 'checkout' } });
      const history = await call('GET', `/api/v1/models/${checkout}/profile/history`, VIEWER);
      expect(
        history.body.items.map((e: { version: number; actor: string }) => [e.version, e.actor]),
      ).toEqual([
        [1, 'lead'],
        [2, 'lead'],
      ]);
      const refused = await call('PUT', `/api/v1/models/${report}/profile`, EDITOR, {
        ...profile(3, 0.001, 'ops'),
        tier: 4,
      });
      expect(refused.status).toBe(400);
      expect(
        (await call('PUT', `/api/v1/models/${report}/profile`, EDITOR, profile(3, 0.001, 'ops')))
          .status,
      ).toBe(201);

      step('The same incident on three models: 2 h clean, then 20 % errors for 3 h');
      await produceTelemetry(topics.telemetry, [
        ...traffic(checkout, 0, 60),
        ...traffic(report, 0, 60),
        ...traffic(orphan, 0, 60),
      ]);
      const models = await waitFor(
        'three models with an open error-budget incident and their latest status',
        async () => {
          const r = await call('GET', '/api/v1/models', VIEWER);
          const ms = (r.body.items ?? []) as Json[];
          const ready = [checkout, report, orphan].every((id) =>
            ms.some(
              (m) =>
                m.modelId === id &&
                m.openIncidents.length === 1 &&
                // The status of the last boundary the 5 h of windows close (04:55).
                m.status?.at === '2026-02-03T04:55:00.000Z',
            ),
          );
          return ready && ms;
        },
        120_000,
      );
      const [a, b, c] = models.filter((m: Json) => [checkout, report, orphan].includes(m.modelId));
      // Ranked by value at risk: 12,000 requests/h × 0.50 × 20 % = 1,200 EUR/h vs × 0.001 = 2.40.
      expect([a.modelId, b.modelId, c.modelId]).toEqual([checkout, report, orphan]);
      expect(a.valueAtRisk).toMatchObject({ perHour: 1200, currency: 'EUR' });
      expect(b.valueAtRisk.perHour).toBe(2.4);
      expect(c).toMatchObject({ hasProfile: false, valueAtRisk: { perHour: null } });
      expect(c.explanation).toContain('no profile: value at risk and tier cannot be stated');
      expect(a.explanation.join(' ')).toMatch(/blocks adoption: error_budget critical/);
      expect(parseModelStatus(a.status).ok).toBe(true);

      step('Items ranked and explained');
      const item = async (modelId: string) => {
        const r = await call(
          'GET',
          `/api/v1/items?model=${modelId}&quadrant=model-hygiene`,
          VIEWER,
        );
        return r.body.items[0];
      };
      const checkoutItem = await item(checkout);
      const reportItem = await item(report);
      expect(checkoutItem.priorityScore).toBeGreaterThan(reportItem.priorityScore);
      expect(checkoutItem.impact.effective).toBe('derived');
      expect(checkoutItem.scores).toEqual(checkoutItem.impact.derived.scores);
      const impactWhy = checkoutItem.impact.derived.explanation.find(
        (e: Json) => e.subject === 'userImpact',
      );
      expect(impactWhy.because).toMatch(/value at risk 1,200 EUR\/h .*tier 1 → \+1/);
      expect(
        reportItem.impact.derived.explanation.find((e: Json) => e.subject === 'userImpact').because,
      ).toMatch(/tier 3 → -1/);

      step('Cost of delay grows with event time');
      const costBefore = checkoutItem.impact.costOfDelay.amount as number;
      expect(costBefore).toBeGreaterThan(0);
      await produceTelemetry(topics.telemetry, traffic(checkout, 60, 96));
      await waitFor('the checkout model three hours later in event time', async () => {
        const r = await call('GET', `/api/v1/models/${checkout}`, VIEWER);
        return r.body.status?.at === '2026-02-03T07:55:00.000Z';
      });
      const costAfter = (await item(checkout)).impact.costOfDelay.amount as number;
      // Three more degraded hours at 1,200 EUR/h.
      expect(costAfter - costBefore).toBeCloseTo(3600, 0);

      step('A deferral is priced on its decision; an override is not undone');
      // A deferral is priced from the decision moment (wall-clock time) to the next ceremony, so the
      // ceremony is tomorrow: the projection spans a real stretch of time, not a past one (0 hours).
      const scheduledFor = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000);
      const until = scheduledFor.getTime() + 14 * 86_400_000;
      const scheduled = await call('POST', '/api/v1/ceremonies', EDITOR, {
        title: 'Sprint 15',
        scheduledFor: scheduledFor.toISOString(),
      });
      const ceremony = scheduled.body.ceremonyId;
      expect((await call('POST', `/api/v1/ceremonies/${ceremony}/open`, EDITOR)).status).toBe(200);
      const decidedFrom = Date.now();
      const deferred = await call('POST', `/api/v1/ceremonies/${ceremony}/decisions`, EDITOR, {
        itemId: checkoutItem.itemId,
        decision: 'defer',
        rationale: 'retraining lands next sprint',
      });
      expect(deferred.status).toBe(200);
      const decision = deferred.body.decisions.at(-1);
      expect(decision.projectedCostOfDelay).toMatchObject({
        perHour: 1200,
        currency: 'EUR',
        until: new Date(until).toISOString(),
      });
      // The README prices a deferral from the decision moment (not the ceremony date) to `until`: with
      // the request's own start and end as bounds on that moment, 1,200 EUR an hour to the cent.
      const decidedBy = Date.now();
      const amount = decision.projectedCostOfDelay.amount as number;
      expect(amount).toBeGreaterThanOrEqual((1200 * (until - decidedBy)) / 3_600_000 - 0.01);
      expect(amount).toBeLessThanOrEqual((1200 * (until - decidedFrom)) / 3_600_000 + 0.01);
      expect(amount).toBeGreaterThan(1200 * 14 * 24);
      expect(Math.round(amount * 100)).toBeCloseTo(amount * 100, 6);

      const override = {
        userImpact: 9,
        systemRisk: 9,
        timeCriticality: 9,
        effort: 3,
        confidence: 0.9,
      };
      const rescored = await call('PUT', `/api/v1/items/${reportItem.itemId}/scores`, EDITOR, {
        scores: override,
        rationale: 'the weekly report feeds the regulator',
      });
      expect(rescored.status).toBe(200);
      await produceTelemetry(topics.telemetry, traffic(report, 60, 72));
      await waitFor('the report model to have moved on in event time', async () => {
        const r = await call('GET', `/api/v1/models/${report}`, VIEWER);
        return r.body.status?.at >= '2026-02-03T05:50:00.000Z';
      });
      const overridden = await item(report);
      expect(overridden.scores).toEqual(override);
      expect(overridden.impact.effective).toBe('override');
      expect(overridden.scoresOverride.rationale).toBe('the weekly report feeds the regulator');

      step("The gauges carry the API's numbers");
      const costNow = (await item(checkout)).impact.costOfDelay.amount as number;
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(
        new RegExp(`^fulcrum_model_value_at_risk_per_hour\\{model="${checkout}"\\} 1200$`, 'm'),
      );
      expect(metrics).toMatch(/^fulcrum_models_without_profile 1$/m);
      const gauge = new RegExp(
        `^fulcrum_model_cost_of_delay\\{model="${checkout}"\\} (\\S+)$`,
        'm',
      );
      expect(Number(gauge.exec(metrics)?.[1])).toBeCloseTo(costNow, 2);
      expect(costNow).toBeCloseTo(costAfter, 2);

      // The status stream the backlog consumed is on its topic, valid, keyed by model.
      const messages = await readAll(topics.modelStatus);
      const statuses = parseValues<ModelStatus>(messages);
      expect(statuses.length).toBeGreaterThan(10);
      for (const st of statuses) expect(parseModelStatus(st).ok).toBe(true);
      expect(messages.map((m) => m.key)).toEqual(statuses.map((st) => st.modelId));
      expect(new Set(statuses.map((st) => st.modelId))).toEqual(
        new Set([checkout, report, orphan]),
      );
    }),
  );
});
