import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { KEYS } from '../support/backlog-app';
import { MONGO_URI_BASE, waitFor } from '../support/kafka-test-kit';
import { infra, kill, spawnService, type ServiceProcess } from '../support/processes';

const item = (i: number) => ({
  backlog: 'reliability',
  quadrant: 'technical-debt',
  title: `Refactor pipeline ${i}`,
  description: '',
  linkedModels: [],
  scores: { userImpact: 3, systemRisk: 6, timeCriticality: 4, effort: 5, confidence: 0.7 },
});

describe('faults: the MongoDB-compatible server stops and restarts under command load', () => {
  let backlog: ServiceProcess;
  const database = `fulcrum_fault_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    backlog = await spawnService('backlog', {
      FULCRUM_MONGO_URI: `${MONGO_URI_BASE}/${database}`,
      FULCRUM_API_KEYS: `alice:editor:${KEYS.editor}`,
      FULCRUM_BACKLOG_CONSUME_EVENTS: 'false',
      FULCRUM_RATE_LIMIT_PER_MINUTE: '1000000',
    });
  });
  afterAll(async () => {
    await kill(backlog);
  });

  it('answers 503 problem+json while it is down, writes nothing partial, keeps every acknowledged command', async () => {
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    // Anything but 201 / 503 (or a request hanging past 15 s) is recorded and fails the next wait
    // with its details, instead of silently ending a client loop.
    const unexpected: string[] = [];
    let retriedAfterRestart: number | undefined;
    const healthy = async (): Promise<boolean> => {
      if (unexpected.length)
        throw new Error(`unexpected answers: ${unexpected.slice(0, 3).join(' | ')}`);
      return true;
    };
    let running = true;
    let n = 0;
    const clients = Array.from({ length: 6 }, async () => {
      while (running) {
        const i = n++;
        const res = await fetch(`http://127.0.0.1:${backlog.port}/api/v1/items`, {
          method: 'POST',
          headers: {
            'X-API-Key': KEYS.editor,
            'Content-Type': 'application/json',
            'Idempotency-Key': `fault-${i}-${randomUUID()}`,
          },
          body: JSON.stringify(item(i)),
          signal: AbortSignal.timeout(15_000),
        }).catch((error: unknown) => {
          if ((error as Error).name === 'TimeoutError')
            unexpected.push(`request ${i} hung for 15 s`);
          return undefined;
        });
        if (!res) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const body = (await res.json()) as { itemId?: string; type?: string };
        if (res.status === 201) acknowledged.push(body.itemId!);
        else if (res.status === 503)
          expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
        else
          unexpected.push(
            `${res.status}: ${JSON.stringify(body)}; service log: ${backlog
              .output()
              .split('\n')
              .filter((l) => l.includes('unhandled error'))
              .slice(-1)
              .join('')}`,
          );
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    // States, not durations: each phase waits for what it needs, however loaded the machine is.
    try {
      await waitFor(
        'commands acknowledged under load',
        async () => (await healthy()) && acknowledged.length >= 20,
      );
      await infra('ferretdb.sh', 'stop');
      await waitFor(
        'a command answered 503 while the database is down',
        async () => (statuses.get(503) ?? 0) > 0,
      );
      await waitFor('readiness reports the database down', async () => {
        const r = await fetch(`http://127.0.0.1:${backlog.port}/health/ready`);
        return r.status === 503;
      });
      await infra('ferretdb.sh', 'start');
      const atRestart = acknowledged.length;
      // Recovery is a state the backlog must reach by itself, with the same clients still sending:
      // it used to answer 503 for minutes (a driver heartbeat hung on a destroyed socket; fixed by
      // patches/mongodb+6.20.0.patch), so the 503s after the restart are bounded too.
      const failedBeforeRestart = statuses.get(503) ?? 0;
      await waitFor(
        'the backlog acknowledging commands again after the restart',
        async () => (await healthy()) && acknowledged.length >= atRestart + 20,
        30_000,
      ).catch((error: unknown) => {
        const causes = backlog
          .output()
          .split('\n')
          .filter((l) => l.includes('answered 503'))
          .slice(-3);
        // A 500's log line can land after its response was seen: read them again now.
        const unhandled = backlog
          .output()
          .split('\n')
          .filter((l) => l.includes('unhandled error'))
          .slice(-3);
        throw new Error(
          `${(error as Error).message}\nlast 503 causes:\n${causes.join('\n')}\nunhandled errors:\n${unhandled.join('\n')}`,
        );
      });
      retriedAfterRestart = (statuses.get(503) ?? 0) - failedBeforeRestart;
    } finally {
      running = false;
      await Promise.all(clients);
    }
    if (unexpected.length > 0)
      unexpected.push(
        ...backlog
          .output()
          .split('\n')
          .filter((l) => l.includes('unhandled error'))
          .slice(-3),
      );
    expect(unexpected).toEqual([]);

    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(0);
    const client = new MongoClient(`${MONGO_URI_BASE}/${database}`);
    await client.connect();
    try {
      const commits = client.db(database).collection('event_commits');
      const streams = new Set((await commits.distinct('streamId')) as string[]);
      for (const id of acknowledged) expect(streams.has(`item-${id}`)).toBe(true);
      // No partial writes: every stream that exists is a whole, valid ItemProposed commit.
      const broken = await commits.countDocuments({
        $or: [{ firstVersion: { $ne: 1 } }, { 'events.0.type': { $ne: 'ItemProposed' } }],
      });
      expect(broken).toBe(0);
      // A graceful stop after the restart ends in time (it used to hang on the same driver bug).
      expect(await kill(backlog)).toBe(true);
      process.stdout.write(
        `[faults] database restart: ${n} commands sent, ${acknowledged.length} acknowledged and all present, ${statuses.get(503) ?? 0} answered 503, ${streams.size} streams stored, 0 partial; ${retriedAfterRestart ?? 0} answered 503 after the restart\n`,
      );
    } finally {
      await client.close();
    }
  });
});
