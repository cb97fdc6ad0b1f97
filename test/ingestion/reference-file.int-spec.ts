import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import {
  topicEnv,
  type BaselineRecord,
  type ModelStatus,
  type ReliabilityEvent,
  type TopicNames,
} from '@fulcrum/contracts';
import { prediction } from '@fulcrum/testing';
import { startIngestion } from '../support/ingestion-app';
import {
  BROKERS,
  closeTestProducer,
  committedCount,
  freshTopics,
  parseValues,
  produceTelemetry,
  readAll,
  waitFor,
} from '../support/kafka-test-kit';

/**
 * The reference-file command as a user runs it (`npm run reference -- FILE …`, the built tool in a
 * process of its own): a CSV and the same rows as Parquet give the same baseline; sent to Kafka it
 * becomes the model's drift reference and calibration, so undrifted traffic with an integer feature
 * reads no drift (producers binning the numpy way read PSI ≈ 1.7 here) and accuracy is estimated.
 */
const root = join(__dirname, '..', '..');
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 3, 1, 0, 0);

interface Row {
  visits: number;
  plan: string;
  score: number;
  pred: number;
  truth: number;
}

/** Rows from one distribution: visits 0..9, a plan, a calibrated score and its outcome. */
function sample(n: number, seed: number): Row[] {
  let x = seed;
  const random = () => (x = (x * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: n }, () => {
    const score = Math.round(random() * 100) / 100;
    return {
      visits: Math.floor(random() * 10),
      plan: random() < 0.3 ? 'pro' : 'basic',
      score,
      pred: score >= 0.5 ? 1 : 0,
      truth: random() < score ? 1 : 0,
    };
  });
}

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(root, 'scripts/register-paths.js'),
        join(root, 'dist/tools/reference-file/src/main.js'),
        ...args,
      ],
      { env: { ...process.env, FULCRUM_KAFKA_BROKERS: BROKERS.join(','), ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('reference file → baseline (npm run reference)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-reference-'));
  const csv = join(dir, 'reference.csv');
  const parquet = join(dir, 'reference.parquet');
  const rows = sample(4000, 3);
  const args = [
    '--model',
    'churn',
    '--version',
    'v1',
    '--score',
    'score',
    '--predicted',
    'pred',
    '--label',
    'truth',
    '--event-time',
    new Date(T0 - HOUR).toISOString(),
  ];
  let topics: TopicNames;
  let app: INestApplication;
  let groupId: string;

  beforeAll(async () => {
    writeFileSync(
      csv,
      [
        'visits,plan,score,pred,truth',
        ...rows.map((r) => `${r.visits},${r.plan},${r.score},${r.pred},${r.truth}`),
      ].join('\n'),
    );
    // hyparquet-writer is an ES module, which Jest's module loader cannot require: a node process
    // writes the file (Node 20 requires ES modules natively).
    const columns = [
      { name: 'visits', data: rows.map((r) => r.visits), type: 'INT32' },
      { name: 'plan', data: rows.map((r) => r.plan), type: 'STRING' },
      { name: 'score', data: rows.map((r) => r.score), type: 'DOUBLE' },
      { name: 'pred', data: rows.map((r) => r.pred), type: 'INT32' },
      { name: 'truth', data: rows.map((r) => r.truth), type: 'INT32' },
    ];
    writeFileSync(join(dir, 'columns.json'), JSON.stringify(columns));
    execFileSync(
      process.execPath,
      [
        '-e',
        `require('hyparquet-writer').parquetWriteFile({ filename: process.argv[1], columnData: require(process.argv[2]) })`,
        parquet,
        join(dir, 'columns.json'),
      ],
      { cwd: root },
    );
    topics = await freshTopics();
    ({
      app,
      config: { groupId },
    } = await startIngestion(topics, {
      rules: {
        defaults: { stale: { enabled: false }, accuracyEstimate: { minPredictions: 3600 } },
      },
    }));
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await closeTestProducer();
  });

  it('reads CSV and Parquet into the same baseline', async () => {
    const fromCsv = await run([csv, ...args, '--dry-run']);
    const fromParquet = await run([parquet, ...args, '--dry-run']);
    expect(fromCsv).toMatchObject({ code: 0, stderr: '' });
    expect(fromParquet).toMatchObject({ code: 0, stderr: '' });
    const baseline = JSON.parse(fromCsv.stdout) as BaselineRecord;
    expect(JSON.parse(fromParquet.stdout)).toEqual(baseline);
    expect(Object.keys(baseline.features).sort()).toEqual(['plan', 'visits']);
    expect(baseline.calibration!.counts.reduce((a, b) => a + b, 0)).toBe(4000);
  });

  it('refuses a bad file with the row and column, exit code 2, nothing sent', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'visits,score,pred,truth\n3,0.4,0,0\n4,1.7,1,1\n');
    const result = await run(
      [bad, '--model', 'churn', '--score', 'score', '--predicted', 'pred', '--label', 'truth'],
      topicEnv(topics),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /row 2: column "score" must be a probability between 0 and 1; got "1.7"/,
    );
  });

  it('sends it; undrifted traffic then reads no drift and its accuracy is estimated', async () => {
    const sent = await run([csv, ...args], topicEnv(topics));
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({
      modelId: 'churn',
      features: 2,
      calibrationBins: 100,
    });
    // Two hours of predictions from the same distribution, one a second.
    const live = sample(7200, 99).map((r, i) =>
      prediction('churn', T0 + i * 1000, {
        features: { visits: r.visits, plan: r.plan },
        score: r.score,
        predictedLabel: r.pred as 0 | 1,
      }),
    );
    const tick = prediction('churn', T0 + 2 * HOUR + 10 * 60_000);
    await produceTelemetry(topics.telemetry, [...live, tick]);
    await waitFor(
      'all committed',
      async () => (await committedCount(groupId, topics.telemetry)) === live.length + 2,
      120_000,
    );
    const statuses = parseValues<ModelStatus>(
      (await readAll(topics.modelStatus)).filter((m) => m.key === 'churn'),
    );
    const atTwoHours = statuses.find((s) => s.at === new Date(T0 + 2 * HOUR).toISOString())!;
    expect(atTwoHours.coverage.referenceSource).toBe('baseline');
    expect(atTwoHours.drift.maxScore).toBeLessThan(0.05);
    // Realized accuracy of this sample is about 0.75 (a calibrated score's expected accuracy).
    const realized =
      sample(7200, 99)
        .slice(3600)
        .filter((r) => r.pred === r.truth).length / 3600;
    const e = atTwoHours.estimatedAccuracy!;
    expect(e.predictions).toBe(3600);
    expect(realized).toBeGreaterThanOrEqual(e.lower);
    expect(realized).toBeLessThanOrEqual(e.upper);
    const events = parseValues<ReliabilityEvent>(
      (await readAll(topics.reliabilityEvents)).filter((m) => m.key === 'churn'),
    );
    expect(events.filter((ev) => ev.rule === 'feature_drift')).toEqual([]);
  }, 180_000);
});
