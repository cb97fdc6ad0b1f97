import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ReliabilityEvent } from '@fulcrum/contracts';
import { prediction, quality } from '@fulcrum/testing';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  parseValues,
  produceTelemetry,
  readAll,
  waitFor,
} from '../support/kafka-test-kit';
import { kill, spawnService, type ServiceProcess } from '../support/processes';
import { ingestionEnv } from '../faults/fault-workload';

const ROOT = join(__dirname, '..', '..');
const MIN = 60_000;

/** Starts a compiled service expecting it to refuse its configuration; resolves with its exit. */
function refusedStart(
  service: 'metrics-ingestion' | 'backlog',
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(ROOT, 'scripts/register-paths.js'),
        join(ROOT, 'dist/services', service, 'src/main.js'),
      ],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The real processes, configured through the environment exactly as the README says. */
describe('services as processes: configuration and shutdown', () => {
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGKILL');
    await closeTestProducer();
  });

  it.each([
    ['metrics-ingestion', 'FULCRUM_MAX_RECORD_BYTES', 'lots'],
    ['metrics-ingestion', 'FULCRUM_MAX_EVENT_TIME_SKEW_MS', '-5'],
    ['metrics-ingestion', 'FULCRUM_KAFKA_BROKERS', 'not a broker list'],
    ['backlog', 'FULCRUM_ALLOCATION_CAP_PERCENT', '500'],
    ['backlog', 'FULCRUM_PROJECTION_POISON_POLICY', 'ignore'],
  ] as const)('%s refuses %s=%s at start, naming it', async (service, name, value) => {
    const { code, output } = await refusedStart(service, { [name]: value });
    // A refusal is an exit with a code; a hang killed after 30 s (code null) is not one.
    expect(code).not.toBeNull();
    expect(code).not.toBe(0);
    expect(output).toContain(name);
  });

  it('a rules file that does not validate stops the service with a message naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-rules-'));
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ defaults: { accuracy: { warningBelow: 1.5 } } }));
    const { code, output } = await refusedStart('metrics-ingestion', { FULCRUM_RULES_FILE: file });
    expect(code).not.toBeNull();
    expect(code).not.toBe(0);
    expect(output).toContain('FULCRUM_RULES_FILE');
    expect(output).toContain('accuracy.warningBelow');
  });

  it('FULCRUM_RULES_FILE overrides per model: the same accuracy pages one model and not another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-rules-'));
    const file = join(dir, 'rules.json');
    writeFileSync(
      file,
      JSON.stringify({
        models: { 'strict-model': { accuracy: { warningBelow: 0.95, resolveAtOrAbove: 0.97 } } },
      }),
    );
    const topics = await freshTopics(1);
    const groupId = `rules-file-${Date.now()}`;
    const service = await spawnService('metrics-ingestion', {
      ...ingestionEnv(topics, groupId),
      FULCRUM_RULES_FILE: file,
    });
    running.push(service);
    const t0 = Date.UTC(2026, 0, 7);
    const records = ['strict-model', 'lenient-model'].flatMap((m) => [
      quality(m, t0, t0 + 5 * MIN, 200, 180), // 0.90
      prediction(m, t0 + 15 * MIN),
    ]);
    await produceTelemetry(topics.telemetry, records);
    await waitFor(
      'every record committed',
      async () => (await committedCount(groupId, topics.telemetry)) === records.length,
    );
    const events = parseValues<ReliabilityEvent>(await readAll(topics.reliabilityEvents));
    expect(events.map((e) => `${e.modelId} ${e.type}:${e.severity}@${e.threshold}`)).toEqual([
      'strict-model accuracy.opened:warning@0.95',
    ]);
  });

  it('SIGTERM commits what was processed: nothing is left for the next owner to redo', async () => {
    const topics = await freshTopics(2);
    const groupId = `sigterm-${Date.now()}`;
    // A checkpoint interval far longer than the test: only the shutdown path can commit.
    const service = await spawnService('metrics-ingestion', {
      ...ingestionEnv(topics, groupId),
      FULCRUM_CHECKPOINT_INTERVAL_MS: '60000',
    });
    running.push(service);
    const t0 = Date.UTC(2026, 0, 8);
    const records = Array.from({ length: 300 }, (_, i) =>
      prediction(`term-${i % 4}`, t0 + i * 1000),
    );
    await produceTelemetry(topics.telemetry, records);
    await waitFor('every record consumed', async () => {
      const text = await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
      const m = /^fulcrum_ingestion_records_consumed_total\{kind="prediction"\} (\d+)$/m.exec(text);
      return Number(m?.[1] ?? 0) === records.length;
    });
    expect(await committedCount(groupId, topics.telemetry)).toBe(0);
    await kill(service, 'SIGTERM');
    // Nest re-raises the signal after its shutdown hooks ran: a clean end is code 0 or SIGTERM.
    expect([service.child.exitCode, service.child.signalCode]).not.toContain('SIGKILL');
    expect(service.output()).not.toMatch(/"level":50/);
    expect(await committedCount(groupId, topics.telemetry)).toBe(records.length);
  });
});
