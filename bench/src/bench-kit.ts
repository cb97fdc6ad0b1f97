import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TOPICS, topicEnv, topicSpecs, type TopicNames } from '@fulcrum/contracts';
import { ensureTopics } from '@fulcrum/platform';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KEYS } from './figure';

export const ROOT = join(__dirname, '..', '..', '..');
export const BROKERS = (process.env.FULCRUM_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const MONGO = process.env.FULCRUM_MONGO_URI_BASE ?? 'mongodb://127.0.0.1:27017';
export const kafka = new Kafka({
  clientId: 'fulcrum-bench',
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
});

/** CPU seconds (user + system, all threads) a process has used, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of every running process named `comm` (PostgreSQL forks a process per connection;
 * one that exited in between is not counted, so compare over a stretch where the pool is stable).
 */
export function cpuSecondsOf(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === comm)
        total += cpuSeconds(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return total;
}

/** Process id from one of the project's pid files under .infra/run (null when not running). */
export function infraPid(name: 'kafka' | 'ferretdb'): number | null {
  try {
    const pid = Number(readFileSync(join(ROOT, '.infra', 'run', `${name}.pid`), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}/stat`) ? pid : null;
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const median = (values: number[]) => percentile(values, 50);

export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function committed(groupId: string, topic: string): Promise<number> {
  return withAdmin(async (admin) => {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * V8 flags each service is deployed with (scripts/start.sh, its Dockerfile): metrics-ingestion
 * allocates a short-lived object graph per record, and a 32 MiB semi-space halves its scavenges.
 */
const SERVICE_NODE_FLAGS: Record<string, string[]> = {
  'services/metrics-ingestion/src/main.js': ['--max-semi-space-size=32'],
};

/** Runs a compiled entry point of this repository as a child process, like a deployment would. */
export function runNode(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
  stdout: 'ignore' | 'pipe' = 'ignore',
): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...(SERVICE_NODE_FLAGS[script] ?? []),
      ...args,
      // e.g. BENCH_SERVICE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a service in a run.
      ...(process.env.BENCH_SERVICE_ARGS?.split(' ') ?? []),
      '-r',
      join(ROOT, 'scripts/register-paths.js'),
      join(ROOT, 'dist', script),
    ],
    {
      env: { ...process.env, FULCRUM_LOG_LEVEL: 'warn', ...env },
      // BENCH_SERVICE_LOGS=1 shows the services' own (stdout, JSON) logs.
      stdio: ['ignore', process.env.BENCH_SERVICE_LOGS ? 'inherit' : stdout, 'inherit'],
    },
  );
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15000).then(() => child.kill('SIGKILL'))]);
}

export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 120_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out: ${what}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * A JSON request over a keep-alive node:http agent. The load generators use it instead of fetch:
 * on 2 shared cores, fetch's own CPU (about half a core at 150 requests/s) was taken from the
 * service being measured.
 */
export function httpJson(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Fresh topics for one workload, named like the defaults with a unique suffix. */
export async function createTopics(prefix = 'bench'): Promise<TopicNames> {
  const s = uniqueName(prefix);
  const names: TopicNames = {
    telemetry: `${DEFAULT_TOPICS.telemetry}.${s}`,
    telemetryDlq: `${DEFAULT_TOPICS.telemetryDlq}.${s}`,
    reliabilityEvents: `${DEFAULT_TOPICS.reliabilityEvents}.${s}`,
    ingestionState: `${DEFAULT_TOPICS.ingestionState}.${s}`,
    modelStatus: `${DEFAULT_TOPICS.modelStatus}.${s}`,
  };
  await withAdmin((admin) => ensureTopics(admin, topicSpecs(names)));
  return names;
}

/** Environment of a metrics-ingestion process on these topics, group and port. */
export function ingestionEnv(
  topics: TopicNames,
  groupId: string,
  port: number,
): Record<string, string> {
  return {
    ...topicEnv(topics),
    FULCRUM_INGESTION_GROUP_ID: groupId,
    FULCRUM_INGESTION_PORT: String(port),
  };
}

export interface BacklogProcess {
  base: string;
  database: string;
  pid: number;
  stop: () => Promise<void>;
}

/** A backlog process on its own database, without the Kafka intake and without a rate limit. */
export async function startBacklog(
  database = uniqueName('fulcrum_bench'),
  env: Record<string, string> = {},
): Promise<BacklogProcess> {
  const port = await freePort();
  const child = runNode('services/backlog/src/main.js', {
    FULCRUM_MONGO_URI: `${MONGO}/${database}`,
    FULCRUM_BACKLOG_PORT: String(port),
    FULCRUM_API_KEYS: KEYS,
    FULCRUM_BACKLOG_CONSUME_EVENTS: 'false',
    FULCRUM_RATE_LIMIT_PER_MINUTE: '1000000',
    ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntil('backlog ready', async () => (await fetch(`${base}/health/ready`)).ok);
  return { base, database, pid: child.pid!, stop: () => stop(child) };
}
