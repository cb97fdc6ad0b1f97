import { randomUUID } from 'node:crypto';
import { topicEnv, type TelemetryRecord } from '@fulcrum/contracts';
import { DEFAULT_PROFILES, SyntheticModel } from '../../tools/simulator/src/synthetic-model';
import { journey } from '../support/journey-steps';
import {
  closeTestProducer,
  freshTopics,
  MONGO_URI_BASE,
  produceTelemetry,
  waitFor,
} from '../support/kafka-test-kit';
import { kill, spawnService, type ServiceProcess } from '../support/processes';

/**
 * The simulator's loan-approval model (scores with every prediction, a calibration in its
 * baseline, labels 6 h late) degrading, seen as a product lead sees it: both services as processes,
 * telemetry from a plain Kafka producer, then only the REST API, the brief and /metrics. The
 * estimated incident is open hours (event time) before the labels show the same, and everything
 * that rests on the estimate says "estimated".
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const VIEWER = 'estimate-viewer-0123456789';
const EDITOR = 'estimate-editor-0123456789';
const MIN = 60_000;
const HOUR = 60 * MIN;

/** Nine hours of the model's telemetry up to a few minutes ago: 30 predictions a minute. */
function nineHours(modelId: string): TelemetryRecord[] {
  const end = Math.floor(Date.now() / (5 * MIN)) * 5 * MIN - 5 * MIN;
  const start = end - 9 * HOUR;
  const profile = { ...DEFAULT_PROFILES.find((p) => p.modelId === 'loan-approval')!, modelId };
  const model = new SyntheticModel(profile, 5, start);
  const out: TelemetryRecord[] = [model.baselineRecord(start - MIN)];
  for (let t = start; t < end; t += 2_000) {
    out.push(model.predictionRecord(t));
    const q = model.qualityRecord(t, 5 * MIN);
    if (q) out.push(q);
  }
  return out;
}

describe('journey: accuracy estimated before the labels arrive', () => {
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGTERM');
    await closeTestProducer();
  });

  it(
    'opens an estimated incident hours before the labelled one, and says "estimated" everywhere',
    journey(async (step) => {
      const topics = await freshTopics(3);
      const suffix = randomUUID().slice(0, 8);
      const env = {
        ...topicEnv(topics),
        FULCRUM_MONGO_URI: `${MONGO_URI_BASE}/fulcrum_estimate_${suffix}`,
        FULCRUM_API_KEYS: `viewer:viewer:${VIEWER},lead:editor:${EDITOR}`,
        FULCRUM_INGESTION_GROUP_ID: `estimate-ingestion-${suffix}`,
        FULCRUM_BACKLOG_GROUP_ID: `estimate-backlog-${suffix}`,
        FULCRUM_RATE_LIMIT_PER_MINUTE: '100000',
      };
      running.push(await spawnService('metrics-ingestion', env));
      const backlog = await spawnService('backlog', env);
      running.push(backlog);
      const base = `http://127.0.0.1:${backlog.port}`;
      const call = async (method: string, path: string, body?: unknown, accept?: string) => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${body === undefined ? VIEWER : EDITOR}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...(accept ? { Accept: accept } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, text: await res.text() };
      };
      const json = async (path: string) => JSON.parse((await call('GET', path)).text);
      const modelId = `loan-approval-${suffix}`;

      step('Telemetry: nine hours of a scored model degrading, labels 6 h late');
      await produceTelemetry(topics.telemetry, nineHours(modelId));

      step('REST: both accuracy incidents open; the estimated one opened hours before');
      const incidents = await waitFor(
        'both accuracy incidents in the backlog',
        async () => {
          const page = await json(`/api/v1/models/${modelId}/incidents`);
          const rules = (page.items ?? []).map((i: Json) => i.rule);
          return rules.includes('accuracy_estimated') && rules.includes('accuracy')
            ? page
            : undefined;
        },
        120_000,
      );
      const opened = (rule: string) =>
        Date.parse(incidents.items.find((i: Json) => i.rule === rule).openedAt as string);
      expect(opened('accuracy') - opened('accuracy_estimated')).toBeGreaterThanOrEqual(4 * HOUR);

      step('The model: blocking, with the estimate beside the measurement, explained as estimated');
      // The latest status follows the incidents: wait for the one that has the labels too.
      const model = await waitFor(
        'a status with measured and estimated accuracy',
        async () => {
          const m = await json(`/api/v1/models/${modelId}`);
          return m.status?.accuracy && m.status?.estimatedAccuracy?.error ? m : undefined;
        },
        60_000,
      );
      expect(model.blocksAdoption).toBe(true);
      const e = model.status.estimatedAccuracy;
      expect(e.value).toBeLessThan(0.85);
      expect(e.lower).toBeLessThanOrEqual(e.value);
      expect(e.upper).toBeGreaterThanOrEqual(e.value);
      expect(model.status.accuracy.value).toBeLessThan(0.85);
      expect(model.explanation.join(' ')).toMatch(/blocks adoption \(estimated\)/);
      // The labels for the incident's first windows confirmed it; the gap is small (no concept shift).
      expect(Math.abs(e.error.mean)).toBeLessThan(0.05);

      step('Items: the estimated incident has its own item that says it is estimated');
      const items = JSON.parse(
        (await call('GET', `/api/v1/items?model=${modelId}&backlog=reliability`)).text,
      );
      const estimatedItem = items.items.find((i: Json) => /accuracy estimated/.test(i.title));
      expect(estimatedItem.description).toMatch(/Estimated from the model’s scores/);

      step('Brief: the trend carries the estimate and the Markdown says "estimated"');
      const ceremony = JSON.parse(
        (
          await call('POST', '/api/v1/ceremonies', {
            title: 'Estimate review',
            scheduledFor: new Date(Date.now() + 24 * HOUR).toISOString(),
          })
        ).text,
      );
      const brief = await json(`/api/v1/ceremonies/${ceremony.ceremonyId}/brief`);
      const health = brief.health.find((h: Json) => h.modelId === modelId);
      expect(health.latest.estimatedAccuracy).not.toBeNull();
      // The brief carries its first models' trends; any model's are at …/brief/trends.
      const trends = await json(
        `/api/v1/ceremonies/${ceremony.ceremonyId}/brief/trends?models=${modelId}`,
      );
      expect(trends.items[0].trend.some((p: Json) => p.estimatedAccuracy !== null)).toBe(true);
      const markdown = await call(
        'GET',
        `/api/v1/ceremonies/${ceremony.ceremonyId}/brief`,
        undefined,
        'text/markdown',
      );
      expect(markdown.text).toMatch(new RegExp(`\\| ${modelId} \\|[^\\n]*\\(estimated \\d`));

      step('Metrics: a gauge per model and basis');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(
        new RegExp(
          `fulcrum_model_accuracy_ratio\\{model="${modelId}",basis="estimated"\\} 0\\.[0-7]`,
        ),
      );
    }),
    240_000,
  );
});
