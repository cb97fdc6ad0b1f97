import type { INestApplication } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { MongoClient } from 'mongodb';
import { KEYS, startBacklog } from '../support/backlog-app';

const ST = join(__dirname, '..', '..', '.infra/venv/bin/st');

/**
 * schemathesis (installed by scripts/infra/schemathesis.sh) generates requests for every operation of
 * the API's own OpenAPI document: no 5xx may come back, and documented response schemas must hold.
 */
describe('REST API fuzzed from its OpenAPI document (schemathesis)', () => {
  let app: INestApplication;
  let client: MongoClient;

  beforeAll(async () => {
    ({ app, client } = await startBacklog());
  });
  afterAll(async () => {
    await app.close();
    await client.close();
  });

  it('finds no server error in any operation', async () => {
    expect(existsSync(ST)).toBe(true);
    const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
    // Asynchronous: the API under test runs in this very process and must keep answering.
    const child = spawn(
      ST,
      [
        'run',
        `http://127.0.0.1:${port}/docs/openapi.json`,
        '-H',
        `X-API-Key: ${KEYS.admin}`,
        '--checks',
        'not_a_server_error,response_schema_conformance',
        '--max-examples',
        '40',
        '--generation-deterministic',
        '--request-timeout',
        '10',
        '--no-color',
      ],
      {
        env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const run = { status, stdout, stderr };
    const output = `${run.stdout}\n${run.stderr}`;
    const summary = output
      .split('\n')
      .filter((l) =>
        /operations|test cases|passed|failed|errors|Server error|generated|skipped|API Operations|Test cases/i.test(
          l,
        ),
      )
      .slice(-12)
      .join('\n');
    process.stdout.write(`[faults] schemathesis summary:\n${summary}\n`);
    expect({ status: run.status, tail: run.status === 0 ? '' : output.slice(-4000) }).toEqual({
      status: 0,
      tail: '',
    });
  });
});
