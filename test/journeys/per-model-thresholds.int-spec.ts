import { topicEnv } from '@fulcrum/contracts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { KEYS } from '../support/backlog-app';
import {
  closeTestProducer,
  freshTopics,
  MONGO_URI_BASE,
  produceTelemetry,
  reliabilityTopic,
  waitFor,
} from '../support/kafka-test-kit';
import { kill, spawnService, type ServiceProcess } from '../support/processes';

/**
 * One rules file changes both services. Written from the README only: a rules file holds one
 * model to 90 % accuracy (`FULCRUM_RULES_FILE`, `models.<id>.accuracy`); both services run as
 * their own processes; quality records at 88 % go in with a plain Kafka producer; what the REST
 * API says is read with fetch. Ingestion opens the incident at 0.88, and the backlog, which was
 * never told 0.90, calls the model blocking and says 0.9 in the explanation and the brief.
 */
const MIN = 60_000;
const T0 = Date.UTC(2026, 7, 3, 8, 0);
const MODEL = 'strict-scorer';
const viewer = { 'X-API-Key': KEYS.viewer, Accept: 'application/json' };

describe('journey: a per-model accuracy threshold from the rules file holds in both services', () => {
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGTERM');
    await closeTestProducer();
  });

  it('0.88 against 0.90: an incident, blocking adoption, explained and briefed with 0.9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-rules-'));
    const rulesFile = join(dir, 'rules.json');
    writeFileSync(
      rulesFile,
      JSON.stringify({
        models: { [MODEL]: { accuracy: { warningBelow: 0.9, resolveAtOrAbove: 0.92 } } },
      }),
    );
    const topics = {
      ...(await freshTopics(3)),
      reliabilityEvents: await reliabilityTopic(),
      modelStatus: process.env.FULCRUM_TOPIC_MODEL_STATUS!,
    };
    running.push(
      await spawnService('metrics-ingestion', {
        ...topicEnv(topics),
        FULCRUM_INGESTION_GROUP_ID: `thresholds-${randomUUID().slice(0, 8)}`,
        FULCRUM_RULES_FILE: rulesFile,
      }),
    );
    const backlog = await spawnService('backlog', {
      ...topicEnv(topics),
      FULCRUM_MONGO_URI: `${MONGO_URI_BASE}/fulcrum_thresholds_${randomUUID().slice(0, 8)}`,
      FULCRUM_API_KEYS: `viewer:viewer:${KEYS.viewer},lead:editor:${KEYS.editor}`,
      FULCRUM_BACKLOG_GROUP_ID: `thresholds-backlog-${randomUUID().slice(0, 8)}`,
    });
    running.push(backlog);
    const api = (path: string, headers: Record<string, string> = viewer) =>
      fetch(`http://127.0.0.1:${backlog.port}${path}`, { headers });

    // An hour of labels at 0.88 (440 of 500 per 5-minute window), as a platform would send them.
    const records = [];
    for (let i = 0; i < 12; i++) {
      const start = new Date(T0 + i * 5 * MIN).toISOString();
      const end = new Date(T0 + (i + 1) * 5 * MIN).toISOString();
      records.push({
        schema: 'fulcrum.telemetry/v1',
        kind: 'quality',
        modelId: MODEL,
        modelVersion: '2026.08.1',
        eventTime: end,
        windowStart: start,
        windowEnd: end,
        labeled: 500,
        correct: 440,
      });
    }
    await produceTelemetry(
      topics.telemetry,
      records.map((r) => ({ key: MODEL, value: JSON.stringify(r) })),
    );

    const model = await waitFor('the model blocking adoption in the backlog', async () => {
      const res = await api(`/api/v1/models/${MODEL}`);
      if (res.status !== 200) return undefined;
      const body = (await res.json()) as {
        blocksAdoption: boolean;
        openIncidents: { rule: string; severity: string; itemId: string }[];
        explanation: string[];
        status: { thresholds?: { accuracy: number } } | null;
      };
      return body.blocksAdoption && body.status?.thresholds ? body : undefined;
    });
    expect(model.openIncidents).toMatchObject([{ rule: 'accuracy', severity: 'warning' }]);
    expect(model.status!.thresholds!.accuracy).toBe(0.9);
    expect(model.explanation.join(' ')).toMatch(
      /blocks adoption: accuracy warning \(observed 0\.88 vs 0\.9\)/,
    );

    const item = (await (await api(`/api/v1/items/${model.openIncidents[0].itemId}`)).json()) as {
      reliability: { threshold: number; blocksAdoption: boolean };
      impact: { derived: { explanation: { subject: string; because: string }[] } };
    };
    expect(item.reliability).toMatchObject({ threshold: 0.9, blocksAdoption: true });
    expect(
      item.impact.derived.explanation.find((e) => e.subject === 'blocksAdoption')!.because,
    ).toBe("accuracy 0.88 is below 0.9, the model's threshold");

    const allocation = (await (await api('/api/v1/allocation')).json()) as {
      recommended: { blockingModels: number };
    };
    expect(allocation.recommended.blockingModels).toBe(1);

    // The brief of the next ceremony, as JSON and as Markdown, states the model's own line.
    const scheduled = await fetch(`http://127.0.0.1:${backlog.port}/api/v1/ceremonies`, {
      method: 'POST',
      headers: { 'X-API-Key': KEYS.editor, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Sprint 40', scheduledFor: '2026-08-10T09:00:00Z' }),
    });
    expect(scheduled.status).toBe(201);
    const brief = (await (await api('/api/v1/ceremonies/next/brief')).json()) as {
      thresholds: { accuracy: number };
      health: { modelId: string; blocksAdoption: boolean; thresholds: { accuracy: number } }[];
    };
    expect(brief.thresholds.accuracy).toBe(0.85);
    expect(brief.health.find((h) => h.modelId === MODEL)).toMatchObject({
      blocksAdoption: true,
      thresholds: { accuracy: 0.9 },
    });
    const markdown = await (
      await api('/api/v1/ceremonies/next/brief', { ...viewer, Accept: 'text/markdown' })
    ).text();
    expect(markdown).toContain(`Thresholds for ${MODEL}: accuracy ≥ 90 %`);
  });
});
