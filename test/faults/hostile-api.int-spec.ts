import type { INestApplication } from '@nestjs/common';
import type { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { KEYS, startBacklog } from '../support/backlog-app';
import { MONGO_URI_BASE } from '../support/kafka-test-kit';
import { kill, spawnService } from '../support/processes';

interface OpenApi {
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; in: string }[]; requestBody?: object }>
  >;
}

describe('hostile input against the REST API', () => {
  let app: INestApplication;
  let client: MongoClient;
  let spec: OpenApi;

  beforeAll(async () => {
    ({ app, client } = await startBacklog());
    spec = (await request(app.getHttpServer()).get('/docs/openapi.json').expect(200))
      .body as OpenApi;
  });
  afterAll(async () => {
    await app.close();
    await client.close();
  });

  /** supertest's method by name (get, post, put, ...). */
  const call = (method: string, path: string): request.Test => {
    const agent = request(app.getHttpServer()) as unknown as Record<
      string,
      (p: string) => request.Test
    >;
    return agent[method](path);
  };

  const operations = () =>
    Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({
        method,
        path: path.replace(/\{[^}]+\}/g, randomUUID()),
      })),
    );

  it('documents every operation, and every operation refuses a request without a key (401)', async () => {
    expect(operations().length).toBeGreaterThanOrEqual(14);
    for (const op of operations()) {
      const res = await call(op.method, op.path).send({});
      expect({ op, status: res.status }).toEqual({ op, status: 401 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('answers every write without a body, or with an empty one, with a 4xx problem (found by schemathesis: a 500)', async () => {
    // A missing nested object used to pass @ValidateNested, and the handler read from undefined.
    const withBody = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.requestBody)
        .map(([method]) => ({ method, path: path.replace(/\{[^}]+\}/g, randomUUID()) })),
    );
    expect(withBody.length).toBeGreaterThanOrEqual(7);
    for (const op of withBody) {
      for (const body of [undefined, {}]) {
        const req = call(op.method, op.path).set('X-API-Key', KEYS.admin);
        const res = body === undefined ? await req : await req.send(body);
        expect({ op, body, status: res.status >= 400 && res.status < 500 }).toEqual({
          op,
          body,
          status: true,
        });
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }
  });

  it('refuses every write to a viewer key (403) and the admin rebuild to an editor key', async () => {
    const writes = operations().filter((op) => op.method !== 'get');
    expect(writes.length).toBeGreaterThanOrEqual(9);
    for (const op of writes) {
      const res = await call(op.method, op.path).set('X-API-Key', KEYS.viewer).send({});
      expect({ op, status: res.status }).toEqual({ op, status: 403 });
    }
    await request(app.getHttpServer())
      .post('/api/v1/admin/projections/rebuild')
      .set('X-API-Key', KEYS.editor)
      .expect(403);
  });

  it('rejects operator injection in every query parameter', async () => {
    const tried = new Set<string>();
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const param of methods.get?.parameters?.filter((p) => p.in === 'query') ?? []) {
        const url = `${path.replace(/\{[^}]+\}/g, randomUUID())}?${param.name}[$ne]=x`;
        const res = await request(app.getHttpServer()).get(url).set('X-API-Key', KEYS.viewer);
        expect({ url, status: res.status }).toEqual({ url, status: 400 });
        tried.add(`${path} ${param.name}`);
      }
    }
    // The document lists these query parameters; finding fewer means the loop tested nothing.
    for (const expected of [
      '/api/v1/items limit',
      '/api/v1/items cursor',
      '/api/v1/items backlog',
      '/api/v1/items model',
      '/api/v1/audit sort',
      '/api/v1/audit failing',
      '/api/v1/audit limit',
      '/api/v1/ceremonies cursor',
    ])
      expect(tried).toContain(expected);
    expect(tried.size).toBeGreaterThanOrEqual(15);
  });

  it('sets security headers and never returns a stack trace', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/v1/items/%E0%A4%A')
      .set('X-API-Key', KEYS.viewer);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
    const ok = await request(app.getHttpServer())
      .get('/api/v1/items')
      .set('X-API-Key', KEYS.viewer);
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['x-frame-options']).toBeDefined();
  });
});

describe('rate limiting and secrets in logs (a real process)', () => {
  it('answers 429 problem+json beyond the limit and never logs an API key', async () => {
    const secret = `secret-${randomUUID()}`;
    const backlog = await spawnService('backlog', {
      FULCRUM_MONGO_URI: `${MONGO_URI_BASE}/fulcrum_fault_${randomUUID().slice(0, 8)}`,
      FULCRUM_API_KEYS: `alice:editor:${secret}`,
      FULCRUM_BACKLOG_CONSUME_EVENTS: 'false',
      FULCRUM_RATE_LIMIT_PER_MINUTE: '20',
      FULCRUM_LOG_LEVEL: 'debug',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await fetch(`http://127.0.0.1:${backlog.port}/api/v1/items`, {
          headers: { 'X-API-Key': i % 2 ? secret : `${secret}-wrong` },
        });
        statuses.push(res.status);
        if (res.status === 429)
          expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      }
      expect(statuses.slice(0, 20).every((s) => s === 200 || s === 401)).toBe(true);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
      // force an unhandled path too, then look at everything the process printed
      await fetch(`http://127.0.0.1:${backlog.port}/api/v1/items`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: '{',
      });
    } finally {
      await kill(backlog);
    }
    expect(backlog.output()).not.toContain(secret);
  });
});
