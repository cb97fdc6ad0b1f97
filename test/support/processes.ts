import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
}

/** A compiled service (npm run build) as its own OS process, so it can be SIGKILLed for real. */
export async function spawnService(
  service: 'metrics-ingestion' | 'backlog',
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const port = await freePort();
  const portVar = service === 'backlog' ? 'FULCRUM_BACKLOG_PORT' : 'FULCRUM_INGESTION_PORT';
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(root, 'scripts/register-paths.js'),
      join(root, 'dist/services', service, 'src/main.js'),
    ],
    {
      env: { ...process.env, FULCRUM_LOG_LEVEL: 'info', ...env, [portVar]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${service} exited with ${child.exitCode}: ${output.slice(-2000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, port, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${service} did not become ready: ${output.slice(-2000)}`);
}

/**
 * Stops a service process. A graceful stop that takes more than 20 s is finished with SIGKILL (so a
 * hung shutdown cannot outlive the test run) and reported: returns false then.
 */
export async function kill(
  p: ServiceProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<boolean> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return true;
  // 'close', not 'exit': a process's last lines may still be in its stdout pipe when it exits, and
  // callers read them (final counts, shutdown logs) as soon as this returns.
  const exited = new Promise((r) => p.child.once('close', r));
  p.child.kill(signal);
  const inTime = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
  if (inTime) return true;
  process.stderr.write(
    `[processes] ${signal} did not stop pid ${p.child.pid} in 20 s; SIGKILL\n${p.output().slice(-1500)}\n`,
  );
  p.child.kill('SIGKILL');
  await exited;
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** Sum of a metric's samples over all its labels, scraped from a running service's /metrics. */
export async function metricSum(p: ServiceProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${p.port}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'gm'))].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/**
 * Offsets a metrics-ingestion process has dealt with: folded (applied or late), dead-lettered, or
 * skipped as already in its restored checkpoint.
 */
export async function handledOffsets(p: ServiceProcess): Promise<number> {
  let sum = 0;
  for (const name of [
    'fulcrum_ingestion_records_consumed_total',
    'fulcrum_ingestion_records_late_total',
    'fulcrum_ingestion_records_invalid_total',
    'fulcrum_ingestion_records_reprocessed_skipped_total',
  ])
    sum += await metricSum(p, name);
  return sum;
}

/** Runs one of the project's infra scripts (the same ones up.sh uses). */
export function infra(script: string, arg: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'scripts/infra', script), [arg], { stdio: 'inherit' });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${script} ${arg} exited ${code}`)),
    );
  });
}
