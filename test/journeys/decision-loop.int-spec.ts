import { journey } from '../support/journey-steps';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { topicEnv } from '@fulcrum/contracts';
import { freshTopics, MONGO_URI_BASE, BROKERS, waitFor } from '../support/kafka-test-kit';
import { kill, spawnService, type ServiceProcess } from '../support/processes';

/**
 * The loop the product exists for, as a user runs it — written from the README and the OpenAPI
 * document only: telemetry from Kafka's own console producer (not our code) → incidents →
 * model-hygiene items → a ceremony that commits one reliability item, defers a critical one with
 * its rationale, drops a capability item, sets the allocation below the recommendation with a
 * deviation rationale and closes → item histories, allocation API and gauges → recovery in
 * telemetry → the incidents resolve on the items. Both services run as their own processes; every
 * HTTP call is plain fetch with the headers the document names.
 */
const ROOT = join(__dirname, '..', '..');
const VIEWER = 'journey-viewer-0123456789';
const EDITOR = 'journey-editor-0123456789';
const MIN = 60_000;

/** Kafka's own console producer from the broker's jars: key<TAB>value lines on stdin. */
function consoleProduce(topic: string, lines: [key: string, value: string][]): Promise<void> {
  const kafka = readdirSync(join(ROOT, '.infra')).find((d) => /^kafka-\d/.test(d));
  if (!kafka) throw new Error('Kafka is not installed in .infra (run scripts/infra/up.sh)');
  return new Promise((resolve, reject) => {
    const child = spawn(
      'java',
      [
        '-cp',
        join(ROOT, '.infra', kafka, 'libs', '*'),
        `-Dlog4j2.configurationFile=${join(ROOT, 'scripts/infra/kafka/log4j2.properties')}`,
        'org.apache.kafka.tools.ConsoleProducer',
        '--bootstrap-server',
        BROKERS.join(','),
        '--topic',
        topic,
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=\t',
        '--request-required-acks',
        'all',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) =>
      code === 0 && !/ERROR/.test(output)
        ? resolve()
        : reject(new Error(`console producer failed (${code}): ${output.slice(-2000)}`)),
    );
    child.stdin.end(lines.map(([k, v]) => `${k}\t${v}\n`).join(''));
  });
}

const iso = (t: number) => new Date(t).toISOString();

/** Telemetry exactly as the README shows it: one `window` and one `quality` record per 5 minutes. */
function telemetry(modelId: string, t0: number, from: number, to: number): [string, string][] {
  const lines: [string, string][] = [];
  for (let i = from; i < to; i++) {
    const start = t0 + i * 5 * MIN;
    const end = start + 5 * MIN;
    const degraded = i >= 24 && i < 30;
    lines.push([
      modelId,
      JSON.stringify({
        schema: 'fulcrum.telemetry/v1',
        kind: 'window',
        modelId,
        modelVersion: '2026.02.1',
        eventTime: iso(end - 1),
        windowStart: iso(start),
        windowEnd: iso(end),
        interaction: 'realtime',
        count: 1000,
        errorCount: degraded ? 200 : 0,
        latency: { boundsMs: [50, 100, 250], counts: [900, 90, 10, 0] },
      }),
    ]);
    lines.push([
      modelId,
      JSON.stringify({
        schema: 'fulcrum.telemetry/v1',
        kind: 'quality',
        modelId,
        modelVersion: '2026.02.1',
        eventTime: iso(end),
        windowStart: iso(start),
        windowEnd: iso(end),
        labeled: 200,
        correct: degraded ? 140 : 190,
      }),
    ]);
  }
  return lines;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

describe('journey: the decision loop, end to end, as a user runs it', () => {
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGTERM');
  });

  it(
    'telemetry → incidents → items → ceremony decisions → allocation → recovery',
    journey(async (step) => {
      const topics = await freshTopics(3);
      const suffix = randomUUID().slice(0, 8);
      const env = {
        ...topicEnv(topics),
        FULCRUM_MONGO_URI: `${MONGO_URI_BASE}/fulcrum_journey_${suffix}`,
        FULCRUM_API_KEYS: `viewer:viewer:${VIEWER},alice:editor:${EDITOR}`,
        FULCRUM_INGESTION_GROUP_ID: `journey-ingestion-${suffix}`,
        FULCRUM_BACKLOG_GROUP_ID: `journey-backlog-${suffix}`,
        FULCRUM_RATE_LIMIT_PER_MINUTE: '100000',
      };
      const ingestion = await spawnService('metrics-ingestion', env);
      running.push(ingestion);
      const backlog = await spawnService('backlog', env);
      running.push(backlog);
      const base = `http://127.0.0.1:${backlog.port}`;
      const call = async (
        method: string,
        path: string,
        opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
      ) => {
        const headers: Record<string, string> = { ...opts.headers };
        if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
        if (opts.body !== undefined) headers['Content-Type'] ??= 'application/json';
        const res = await fetch(`${base}${path}`, {
          method,
          headers,
          redirect: 'manual',
          body:
            opts.body === undefined
              ? undefined
              : typeof opts.body === 'string'
                ? opts.body
                : JSON.stringify(opts.body),
        });
        const text = await res.text();
        const type = res.headers.get('content-type') ?? '';
        return {
          status: res.status,
          headers: res.headers,
          type,
          body: (type.includes('json') ? JSON.parse(text) : text) as Record<string, unknown> & {
            items?: Record<string, unknown>[];
          },
        };
      };
      const expectProblem = (
        r: Awaited<ReturnType<typeof call>>,
        status: number,
        detail?: RegExp,
      ) => {
        expect({ status: r.status, type: r.type }).toEqual({
          status,
          type: expect.stringContaining('application/problem+json') as string,
        });
        const p = r.body as unknown as Problem;
        expect(p.status).toBe(status);
        if (detail) expect(p.detail).toMatch(detail);
      };

      step('The API document, where a client starts');
      const doc = await call('GET', '/docs-json');
      expect(doc.status).toBe(200);
      const openapi = doc.body as unknown as {
        paths: Record<string, Record<string, OpenApiOperation>>;
        components: {
          schemas: Record<string, { properties: Record<string, { pattern?: string }> }>;
          securitySchemes: Record<string, { type: string; scheme?: string }>;
        };
      };
      expect(openapi.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      const itemIdPattern = new RegExp(
        openapi.components.schemas.DecisionDto.properties.itemId.pattern!,
      );
      expect(openapi.paths['/api/v1/allocation'].get.responses['200'].content).toBeDefined();
      expect(openapi.paths['/api/v1/items/{id}'].get.responses['200'].headers?.ETag).toBeDefined();
      expect(openapi.paths['/api/v1/items'].post.responses['201'].headers?.Location).toBeDefined();
      expect(
        openapi.paths['/api/v1/admin/projections/rebuild'].post.responses['202'].headers?.Location,
      ).toBeDefined();
      expect(
        openapi.paths['/api/v1/items'].post.parameters?.map((p) => `${p.in}:${p.name}`),
      ).toContain('header:Idempotency-Key');
      expect((await call('GET', '/docs/')).status).toBe(301);
      expect((await call('GET', '/docs/')).headers.get('location')).toBe('/docs');

      step('Telemetry: 2 h healthy, then 30 min of 20 % errors and accuracy 0.70');
      const modelId = `journey-fraud-${suffix}`;
      const t0 = Date.UTC(2026, 1, 2, 8, 0);
      await consoleProduce(topics.telemetry, [
        ...telemetry(modelId, t0, 0, 30),
        // One more window moves the event-time clock past the last degraded boundary.
        ...telemetry(modelId, t0, 30, 32),
      ]);

      const hygiene = await waitFor(
        'two model-hygiene items (accuracy and error budget)',
        async () => {
          const r = await call('GET', `/api/v1/items?model=${modelId}&quadrant=model-hygiene`, {
            key: VIEWER,
          });
          return r.status === 200 && r.body.items!.length === 2 && r.body.items!;
        },
        120_000,
      );
      const byRule = Object.fromEntries(
        hygiene.map((i) => [(i.reliability as { rule: string }).rule, i]),
      ) as Record<string, { itemId: string; reliability: Record<string, unknown> }>;
      expect(Object.keys(byRule).sort()).toEqual(['accuracy', 'error_budget']);
      for (const item of Object.values(byRule)) {
        expect(item.itemId).toMatch(itemIdPattern);
        expect(item.reliability).toMatchObject({ open: true, blocksAdoption: true });
      }
      const accuracyItem = byRule.accuracy.itemId;
      const budgetItem = byRule.error_budget.itemId;

      step('Contract details a client relies on');
      expectProblem(
        await call('GET', '/api/v1/items?cursor=garbage', { key: VIEWER }),
        400,
        /cursor/,
      );
      const list = await call('GET', '/api/v1/items', { key: VIEWER });
      expect(list.status).toBe(200);
      expect(list.headers.get('etag')).toBeNull();
      expectProblem(await call('GET', '/api/v1/items/not-an-item', { key: VIEWER }), 404);
      expect(
        (await call('GET', '/api/v1/items/nope', { key: VIEWER })).headers.get('etag'),
      ).toBeNull();
      const one = await call('GET', `/api/v1/items/${accuracyItem}`, { key: VIEWER });
      expect(one.headers.get('etag')).toBe(`"${one.body.version as number}"`);
      const asOf = await call('GET', `/api/v1/items/${accuracyItem}?asOf=${iso(Date.now())}`, {
        key: VIEWER,
      });
      expect(asOf.status).toBe(200);
      expect(asOf.headers.get('etag')).toBeNull();
      const proposal = {
        backlog: 'capability',
        quadrant: 'innovation',
        title: 'Voice search prototype',
        description: 'Explore voice queries for the catalogue',
        linkedModels: [],
        scores: { userImpact: 6, systemRisk: 2, timeCriticality: 3, effort: 5, confidence: 0.5 },
      };
      expectProblem(
        await call('POST', '/api/v1/items', {
          key: EDITOR,
          body: JSON.stringify(proposal),
          headers: { 'Content-Type': 'text/plain' },
        }),
        415,
        /application\/json/,
      );
      const proposed = await call('POST', '/api/v1/items', {
        key: EDITOR,
        body: proposal,
        headers: { 'Idempotency-Key': `journey-${suffix}` },
      });
      expect(proposed.status).toBe(201);
      const capabilityItem = proposed.body.itemId as string;
      expect(proposed.headers.get('location')).toBe(`/api/v1/items/${capabilityItem}`);
      const etag = proposed.headers.get('etag')!;
      expect(etag).toBe('"1"');
      const rescore = { scores: { ...proposal.scores, effort: 3 }, rationale: 'smaller spike' };
      // RFC 9110: an unquoted tag is malformed (400); a weak tag never matches (412).
      expectProblem(
        await call('PUT', `/api/v1/items/${capabilityItem}/scores`, {
          key: EDITOR,
          body: rescore,
          headers: { 'If-Match': '1' },
        }),
        400,
        /If-Match/,
      );
      expectProblem(
        await call('PUT', `/api/v1/items/${capabilityItem}/scores`, {
          key: EDITOR,
          body: rescore,
          headers: { 'If-Match': 'W/"1"' },
        }),
        412,
      );
      const rescored = await call('PUT', `/api/v1/items/${capabilityItem}/scores`, {
        key: EDITOR,
        body: rescore,
        headers: { 'If-Match': etag },
      });
      expect(rescored.status).toBe(200);
      expect(rescored.headers.get('etag')).toBe('"2"');

      step('The ceremony');
      const scheduled = await call('POST', '/api/v1/ceremonies', {
        key: EDITOR,
        body: { title: 'Sprint 14 joint prioritization', scheduledFor: iso(Date.now()) },
      });
      expect(scheduled.status).toBe(201);
      const ceremony = scheduled.headers.get('location')!;
      expect(ceremony).toMatch(/^\/api\/v1\/ceremonies\/[0-9a-f-]{36}$/);
      const ceremonyId = ceremony.split('/').pop()!;
      const opened = await call('POST', `${ceremony}/open`, { key: EDITOR });
      expect(opened.status).toBe(200);
      expect(opened.body.snapshot).toMatchObject({
        recommendedReliabilityShare: 30,
        blockingModels: 1,
      });

      const decide = (itemId: string, decision: string, rationale: string) =>
        call('POST', `${ceremony}/decisions`, {
          key: EDITOR,
          body: { itemId, decision, rationale },
        });
      // The defect: an item id the API handed out (rel-…) was refused as "not a UUID".
      expect((await decide(budgetItem, 'commit', '')).status).toBe(200);
      expectProblem(await decide(accuracyItem, 'defer', ''), 422, /rationale/);
      expectProblem(await decide('not-an-item', 'commit', ''), 400, /itemId/);
      expect(
        (await decide(accuracyItem, 'defer', 'retraining data lands next sprint; budget first'))
          .status,
      ).toBe(200);
      expect(
        (await decide(capabilityItem, 'drop', 'no capacity while fraud-scorer blocks')).status,
      ).toBe(200);

      const allocation = (capability: number, reliability: number) => ({
        byBacklog: { capability, reliability },
        byQuadrant: {
          'critical-feature': capability - 10,
          innovation: 10,
          'model-hygiene': reliability,
          'technical-debt': 0,
        },
        deviationRationale: 'a regulatory launch holds five points this sprint',
      });
      const overfull = await call('PUT', `${ceremony}/allocation`, {
        key: EDITOR,
        body: allocation(85, 25),
      });
      expectProblem(overfull, 422, /per backlog sums to 110 %/);
      expect(overfull.body.problems).toEqual([
        'allocation per backlog sums to 110 %, not 100 %',
        'allocation per quadrant sums to 110 %, not 100 %',
      ]);
      expect(
        (await call('PUT', `${ceremony}/allocation`, { key: EDITOR, body: allocation(75, 25) }))
          .status,
      ).toBe(200);
      const closed = await call('POST', `${ceremony}/close`, {
        key: EDITOR,
        body: { rationale: 'agreed: error budget now, accuracy after the retraining data' },
      });
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');

      step('What the record shows');
      const statusChanges = async (itemId: string) => {
        const h = await call('GET', `/api/v1/items/${itemId}/history`, { key: VIEWER });
        expect(h.status).toBe(200);
        return h.body.items!.filter((e) => e.type === 'ItemStatusChanged');
      };
      for (const [itemId, to] of [
        [budgetItem, 'committed'],
        [accuracyItem, 'deferred'],
        [capabilityItem, 'dropped'],
      ]) {
        const changes = await statusChanges(itemId);
        expect(changes.at(-1)).toMatchObject({
          actor: 'alice',
          data: expect.objectContaining({ to, ceremonyId }) as unknown,
        });
      }
      const alloc = await call('GET', '/api/v1/allocation', { key: VIEWER });
      expect(alloc.body).toMatchObject({
        recommended: { reliabilityPercent: 30, blockingModels: 1 },
        planned: { ceremonyId, byBacklog: { capability: 75, reliability: 25 } },
        actual: { byBacklog: { capability: 0, reliability: 100 } },
        deviation: {
          plannedMinusRecommendedPercent: -5,
          rationale: 'a regulatory launch holds five points this sprint',
        },
      });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      for (const [basis, value] of [
        ['planned', '0.25'],
        ['actual', '1'],
        ['recommended', '0.3'],
      ])
        expect(metrics).toMatch(
          new RegExp(
            `^fulcrum_allocation_backlog_share_ratio\\{backlog="reliability",basis="${basis}"\\} ${value}$`,
            'm',
          ),
        );

      step('The model recovers; the incidents resolve on the items');
      await consoleProduce(topics.telemetry, telemetry(modelId, t0, 32, 130));
      await waitFor(
        'both incidents resolved on their items',
        async () => {
          const r = await call('GET', `/api/v1/items?model=${modelId}&quadrant=model-hygiene`, {
            key: VIEWER,
          });
          return r.body.items!.every((i) => (i.reliability as { open: boolean }).open === false);
        },
        120_000,
      );
      const deferred = await call('GET', `/api/v1/items/${accuracyItem}`, { key: VIEWER });
      expect(deferred.body).toMatchObject({
        status: 'deferred',
        reliability: { open: false, resolvedAt: expect.any(String) as unknown },
      });

      step("Both /metrics pass Prometheus's own linter; the backlog started without an ERROR");
      for (const port of [ingestion.port, backlog.port]) {
        const scrape = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const check = spawnSync('promtool', ['check', 'metrics'], {
          input: scrape,
          encoding: 'utf8',
        });
        expect({ port, status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({
          port,
          status: 0,
          output: '',
        });
      }
      const errors = backlog
        .output()
        .split('\n')
        .filter((l) => l.includes('"level":50'));
      expect(errors).toEqual([]);
    }),
  );
});

interface OpenApiOperation {
  parameters?: { in: string; name: string }[];
  responses: Record<string, { content?: unknown; headers?: Record<string, unknown> }>;
}
