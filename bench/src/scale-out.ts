/**
 * Scale-out: the records processed twice when an instance joins or leaves the group in the middle
 * of a backlog (a planned rebalance), and the throughput of two instances beside one, with the CPU
 * each process used.
 */
import type { ChildProcess } from 'node:child_process';
import type { TopicNames } from '@fulcrum/contracts';
import { round, SIZES, type Figure } from './figure';
import { preloadTelemetry } from './ingestion-throughput';
import {
  committed,
  cpuSeconds,
  createTopics,
  freePort,
  ingestionEnv,
  runNode,
  stop,
  uniqueName,
  waitUntil,
} from './bench-kit';

interface Instance {
  child: ChildProcess;
  port: number;
  /** Set from the instance's shutdown log line (it cannot be scraped once it has stopped). */
  final?: { consumed: number; skipped: number };
}

function counter(text: string, name: string): number {
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'gm'))].reduce(
    (a, m) => a + Number(m[1]),
    0,
  );
}

/** Records folded (applied or counted late) and records skipped as already checkpointed, so far. */
async function progress(i: Instance): Promise<{ consumed: number; skipped: number }> {
  if (i.final) return i.final;
  const names = [
    'fulcrum_ingestion_records_consumed_total',
    'fulcrum_ingestion_records_late_total',
    'fulcrum_ingestion_records_reprocessed_skipped_total',
  ];
  const text = await (
    await fetch(`http://127.0.0.1:${i.port}/metrics?${names.map((n) => `name[]=${n}`).join('&')}`)
  ).text();
  return {
    consumed: counter(text, names[0]) + counter(text, names[1]),
    skipped: counter(text, names[2]),
  };
}

async function start(topics: TopicNames, group: string): Promise<Instance> {
  const port = await freePort();
  // info: the shutdown line carries the instance's final counts.
  const child = runNode(
    'services/metrics-ingestion/src/main.js',
    { ...ingestionEnv(topics, group, port), FULCRUM_LOG_LEVEL: 'info' },
    [],
    'pipe',
  );
  const instance: Instance = { child, port };
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.includes('"recordsFolded"')) continue;
      const log = JSON.parse(line) as { recordsFolded: number; recordsSkipped: number };
      instance.final = { consumed: log.recordsFolded, skipped: log.recordsSkipped };
    }
  });
  return instance;
}

async function joined(i: Instance): Promise<number> {
  await waitUntil(
    'instance joined its group',
    async () =>
      (await fetch(`http://127.0.0.1:${i.port}/health/ready`).catch(() => null))?.ok ?? false,
    120_000,
    20,
  );
  return Date.now();
}

async function total(instances: Instance[]) {
  const all = await Promise.all(instances.map(progress));
  return {
    consumed: all.reduce((a, p) => a + p.consumed, 0),
    skipped: all.reduce((a, p) => a + p.skipped, 0),
  };
}

interface Scenario {
  consumed: number;
  skipped: number;
  seconds: number;
  cpu: number[];
}

/**
 * One run over the whole backlog in a fresh group. With `second`, another instance joins once
 * `joinAt` of the records are processed and, with `leaveAt`, leaves again (SIGTERM, a graceful
 * stop) at that share.
 */
async function scenario(
  telemetry: string,
  records: number,
  second?: { joinAt: number; leaveAt?: number },
): Promise<Scenario> {
  const topics = { ...(await createTopics('bench-scale')), telemetry };
  const group = uniqueName('bench-scale');
  const a = await start(topics, group);
  const t0 = await joined(a);
  const cpuA0 = cpuSeconds(a.child.pid!);
  const instances = [a];
  const processed = (share: number) => async () =>
    (await total(instances)).consumed >= share * records;
  // CPU the second instance used while it was in the group (frozen when it leaves).
  let cpuB = () => 0;
  try {
    if (second) {
      if (second.joinAt > 0)
        await waitUntil('share before the join', processed(second.joinAt), 600_000, 20);
      const b = await start(topics, group);
      instances.push(b);
      await joined(b);
      const cpuB0 = cpuSeconds(b.child.pid!);
      cpuB = () => cpuSeconds(b.child.pid!) - cpuB0;
      if (second.leaveAt !== undefined) {
        await waitUntil('share before the leave', processed(second.leaveAt), 600_000, 20);
        const used = cpuB();
        cpuB = () => used;
        await stop(b.child);
        if (!b.final) throw new Error('the leaving instance logged no final counts');
      }
    }
    await waitUntil(
      'everything committed',
      async () => (await committed(group, telemetry)) >= records,
      600_000,
      20,
    );
    const seconds = (Date.now() - t0) / 1000;
    const cpu = [cpuSeconds(a.child.pid!) - cpuA0, ...(second ? [cpuB()] : [])];
    return { ...(await total(instances)), seconds, cpu };
  } finally {
    await Promise.all(instances.map((i) => stop(i.child)));
  }
}

export async function scaleOut(): Promise<Figure[]> {
  // Three times the throughput backlog: long enough that a second instance, which takes seconds
  // to start, joins and leaves in the middle of it.
  const { topics, messages } = await preloadTelemetry(3 * SIZES.records);
  const telemetry = topics.telemetry;
  const records = messages.length;
  const join = await scenario(telemetry, records, { joinAt: 0.1 });
  const leave = await scenario(telemetry, records, { joinAt: 0.05, leaveAt: 0.6 });
  const twice = (s: Scenario) => s.consumed - records;
  const share = (s: Scenario) => `${twice(s)} (${round((100 * twice(s)) / records)} %)`;
  console.error(`[bench] scale-out: join ${JSON.stringify(join)}, leave ${JSON.stringify(leave)}`);
  const both = await scenario(telemetry, records, { joinAt: 0 });
  const one = await scenario(telemetry, records);
  return [
    {
      name: 'Planned rebalance: records processed twice when an instance joins / leaves mid-backlog',
      value: Math.max(twice(join), twice(leave)),
      unit: 'records',
      target:
        '~0 (each instance checkpoints and commits what it processed before its partitions move)',
      met: Math.max(twice(join), twice(leave)) <= records * 0.001,
      notes: `${records} records; join (started at 10 %): ${share(join)} processed twice, ${join.skipped} skipped as already checkpointed; leave (graceful stop at 60 %, joined at 5 %): ${share(leave)} processed twice, ${leave.skipped} skipped`,
    },
    {
      name: 'Two ingestion instances in one group, records/s over the whole backlog',
      value: Math.round(records / both.seconds),
      unit: 'records/s',
      baseline: {
        name: 'one instance, same records, same run',
        value: Math.round(records / one.seconds),
        unit: 'records/s',
      },
      ratio: round(one.seconds / both.seconds),
      target: 'reported (2 cores shared with Kafka and the load)',
      met: true,
      notes: `CPU per process: two instances ${both.cpu.map((c) => `${round(c / both.seconds)}`).join(' + ')} cores, one instance ${round(one.cpu[0] / one.seconds)} cores; times from the first instance joining to everything committed (start-up of the second included)`,
    },
  ];
}
