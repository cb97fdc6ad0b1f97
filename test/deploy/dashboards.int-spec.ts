import type { INestApplication } from '@nestjs/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { MongoClient } from 'mongodb';
import { accuracyScenario, driftScenario, errorBudgetScenario } from '@fulcrum/testing';
import { prediction } from '@fulcrum/testing';
import { KEYS, startBacklog } from '../support/backlog-app';
import { nannymlTelemetry } from '../support/nannyml-telemetry';
import { startIngestion } from '../support/ingestion-app';
import {
  closeTestProducer,
  freshTopics,
  produceTelemetry,
  reliabilityTopic,
  waitFor,
} from '../support/kafka-test-kit';

const root = join(__dirname, '..', '..');

interface Dashboard {
  title: string;
  panels: { title: string; targets: { expr: string }[] }[];
  templating: { list: { name: string; definition: string }[] };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Every Grafana panel's query, evaluated by a real Prometheus (Debian's package) that scraped the
 * real services after telemetry flowed and a ceremony closed: each must parse and return data.
 */
describe('Grafana dashboards against a real Prometheus', () => {
  let ingestion: INestApplication;
  let backlog: INestApplication;
  let client: MongoClient;
  let prometheus: ChildProcess;
  let promUrl: string;
  let dir: string;

  beforeAll(async () => {
    // The backlog consumes this file's reliability and status topics (test/support/integration-env).
    const topics = {
      ...(await freshTopics()),
      reliabilityEvents: await reliabilityTopic(),
      modelStatus: process.env.FULCRUM_TOPIC_MODEL_STATUS!,
    };
    ({ app: ingestion } = await startIngestion(topics));
    ({ app: backlog, client } = await startBacklog({ consume: true }));
    const t0 = Date.UTC(2026, 2, 1);
    await produceTelemetry(topics.telemetry, [
      ...accuracyScenario('dash-acc', t0).slice(0, 8),
      ...errorBudgetScenario('dash-err', t0),
      ...driftScenario('dash-drift', t0),
      prediction('dash-late', t0 + 3_600_000),
      prediction('dash-late', t0),
      { key: 'dash-bad', value: '{"not":"telemetry"}' },
      // A scored model with a calibration and labels 30 min late: estimated accuracy and its error
      // (the last labels arrive while its newest hour of scores still gives an estimate).
      ...nannymlTelemetry({ modelId: 'dash-est', t0, form: 'windows', labelDelayMs: 1_800_000 }),
    ]);
    const http = request(backlog.getHttpServer());
    const editor = { 'X-API-Key': KEYS.editor };
    // Profiles, so value at risk and cost of delay can be stated (dash-acc's incident stays open).
    for (const model of ['dash-err', 'dash-acc'])
      await http
        .put(`/api/v1/models/${model}/profile`)
        .set(editor)
        .send({
          ownerTeam: 'risk-ml',
          tier: 1,
          kpi: 'checkout conversion',
          valuePerRequest: 0.2,
          interaction: 'realtime',
          expectedAccuracy: 0.9,
          expectedLabelDelayHours: 24,
          retrainingCadenceDays: 30,
          upstream: [],
          downstream: [],
        })
        .expect(201);
    await waitFor(
      'reliability item for dash-acc',
      async () =>
        (await http.get('/api/v1/items').query({ model: 'dash-acc' }).set(editor)).body.items
          ?.length > 0,
    );
    const item = (
      await http
        .post('/api/v1/items')
        .set(editor)
        .send({
          backlog: 'capability',
          quadrant: 'innovation',
          title: 'Try a new ranker',
          description: '',
          linkedModels: [],
          scores: { userImpact: 5, systemRisk: 2, timeCriticality: 3, effort: 8, confidence: 0.5 },
        })
    ).body;
    const c = (
      await http
        .post('/api/v1/ceremonies')
        .set(editor)
        .send({ title: 'Dashboard test ceremony', scheduledFor: '2026-03-02T09:00:00Z' })
    ).body;
    await http.post(`/api/v1/ceremonies/${c.ceremonyId}/open`).set(editor).expect(200);
    await http
      .post(`/api/v1/ceremonies/${c.ceremonyId}/decisions`)
      .set(editor)
      .send({ itemId: item.itemId, decision: 'commit', rationale: 'explore' })
      .expect(200);
    await http
      .put(`/api/v1/ceremonies/${c.ceremonyId}/allocation`)
      .set(editor)
      .send({
        byBacklog: { capability: 80, reliability: 20 },
        byQuadrant: {
          'critical-feature': 50,
          innovation: 30,
          'model-hygiene': 15,
          'technical-debt': 5,
        },
        deviationRationale: 'launch quarter',
      })
      .expect(200);
    await http.post(`/api/v1/ceremonies/${c.ceremonyId}/close`).set(editor).send({}).expect(200);

    dir = mkdtempSync(join(tmpdir(), 'fulcrum-prom-'));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const target = (app: INestApplication) =>
      `127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: ['${join(root, 'deploy/prometheus/rules')}/*.yml']`,
        'scrape_configs:',
        `  - { job_name: fulcrum-metrics-ingestion, static_configs: [{ targets: ['${target(ingestion)}'] }] }`,
        `  - { job_name: fulcrum-backlog, static_configs: [{ targets: ['${target(backlog)}'] }] }`,
      ].join('\n'),
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      'Prometheus ready',
      async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok,
    );
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await ingestion?.close();
    await backlog?.close();
    await client?.close();
    await closeTestProducer();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const dashboards = ['allocation-balance', 'model-reliability', 'pipeline'].map(
    (n) =>
      JSON.parse(
        readFileSync(join(root, 'deploy/grafana/dashboards', `${n}.json`), 'utf8'),
      ) as Dashboard,
  );
  const cases = dashboards.flatMap((d) =>
    d.panels.flatMap((p) => p.targets.map((t) => [`${d.title} / ${p.title}`, t.expr] as const)),
  );

  it.each(cases)('%s: the query parses and returns data', async (_name, expr) => {
    const query = expr.replace(/\$__rate_interval/g, '30s').replace(/\$(model|quadrant)/g, '.*');
    const result = await waitFor(
      `data for ${query}`,
      async () => {
        const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
        const body = (await res.json()) as {
          status: string;
          error?: string;
          data?: { result: unknown[] };
        };
        if (body.status !== 'success')
          throw new Error(`Prometheus refused ${query}: ${body.error}`);
        return body.data!.result.length > 0 ? body.data!.result : undefined;
      },
      60_000,
    );
    expect(result.length).toBeGreaterThan(0);
  });

  it('dashboard variables resolve to values', async () => {
    for (const v of dashboards.flatMap((d) => d.templating.list)) {
      const [, metric, label] = /label_values\((\w+), (\w+)\)/.exec(v.definition)!;
      const values = await waitFor(`values of $${v.name}`, async () => {
        const body = (await (
          await fetch(`${promUrl}/api/v1/label/${label}/values?match[]=${metric}`)
        ).json()) as { data: string[] };
        return body.data.length ? body.data : undefined;
      });
      expect(values.length).toBeGreaterThan(0);
    }
  });
});
