import { randomUUID } from 'node:crypto';
import { KEYS } from '../support/backlog-app';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  MONGO_URI_BASE,
  produceTelemetry,
  waitFor,
} from '../support/kafka-test-kit';
import { infra, kill, spawnService, type ServiceProcess } from '../support/processes';
import { crashWorkload, expectUninterruptedOutcome, ingestionEnv } from './fault-workload';

const ready = (p: ServiceProcess) =>
  fetch(`http://127.0.0.1:${p.port}/health/ready`).then(
    (r) => r.status,
    () => 0,
  );

/**
 * The broker goes away while both services are busy and comes back; neither service is restarted.
 * Records are produced only while the broker is up, so the expected events are exact.
 */
describe('faults: the Kafka broker stops and restarts under load', () => {
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGKILL');
    await closeTestProducer();
  });

  it('both services recover on their own; every record processed, every event delivered, every item in the backlog', async () => {
    const topics = await freshTopics();
    const groupId = `broker-restart-${Date.now()}`;
    const { messages } = crashWorkload('broker');
    // A short session timeout: readiness turns 503 once a whole session passes without an answer.
    const ingestion = await spawnService('metrics-ingestion', {
      ...ingestionEnv(topics, groupId),
      FULCRUM_INGESTION_SESSION_TIMEOUT_MS: '10000',
    });
    running.push(ingestion);
    const backlog = await spawnService('backlog', {
      FULCRUM_MONGO_URI: `${MONGO_URI_BASE}/fulcrum_broker_${randomUUID().slice(0, 8)}`,
      FULCRUM_API_KEYS: `viewer:viewer:${KEYS.viewer}`,
      FULCRUM_TOPIC_RELIABILITY_EVENTS: topics.reliabilityEvents,
      FULCRUM_BACKLOG_GROUP_ID: `broker-restart-backlog-${Date.now()}`,
      FULCRUM_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    running.push(backlog);

    // Load: the first two thirds go in at once; the broker is stopped while they are in flight.
    const cut = Math.floor((messages.length * 2) / 3);
    await produceTelemetry(topics.telemetry, messages.slice(0, cut));
    const committedAtStop = await committedCount(groupId, topics.telemetry);
    const stoppedAt = Date.now();
    const logged = { ingestion: ingestion.output().length, backlog: backlog.output().length };
    await infra('kafka.sh', 'stop');
    // Until both services' Kafka clients have failed for real (a state, not a duration).
    const failing =
      /ECONNREFUSED|Connection error|connect ECONN|KafkaJSConnectionError|broker.*(closed|disconnected)/i;
    await waitFor(
      'both services see the broker gone',
      async () =>
        failing.test(ingestion.output().slice(logged.ingestion)) &&
        failing.test(backlog.output().slice(logged.backlog)),
    );
    // A consumer the brokers no longer answer is not ready, whatever kafkajs still believes.
    const whileDown = await waitFor(
      'ingestion readiness 503 while the broker is down',
      async () => ((await ready(ingestion)) === 503 ? 503 : undefined),
      60_000,
    );
    await infra('kafka.sh', 'start');
    const downForMs = Date.now() - stoppedAt;
    // The port opens before the broker has loaded its partitions and elected coordinators.
    await waitFor('the broker serving again', () => freshTopics(1), 120_000);

    await produceTelemetry(topics.telemetry, messages.slice(cut));
    const { events, expected } = await expectUninterruptedOutcome(
      topics,
      groupId,
      messages.length,
      'every record committed after the restart',
      'broker',
    );

    // The backlog consumed them all: one item per incident, open exactly when the incident is.
    const finalOpen = new Map<string, boolean>();
    for (const e of expected) finalOpen.set(e.incidentId, !e.type.endsWith('.resolved'));
    const items = await waitFor(
      'every incident in the backlog, in its final state',
      async () => {
        const seen: { itemId: string; open: boolean }[] = [];
        for (const [incidentId, open] of finalOpen) {
          const res = await fetch(
            // README: an item opened from an incident has the id `rel-<incident UUID>`.
            `http://127.0.0.1:${backlog.port}/api/v1/items/rel-${incidentId}`,
            { headers: { 'X-API-Key': KEYS.viewer } },
          );
          if (res.status !== 200) return undefined;
          const body = (await res.json()) as { itemId: string; reliability: { open: boolean } };
          if (body.reliability.open !== open) return undefined;
          seen.push({ itemId: body.itemId, open });
        }
        return seen;
      },
      150_000,
    );
    expect(items).toHaveLength(finalOpen.size);
    // Each intake rejoins its group on its own schedule (the model-status one may be idle): ready
    // again is a state both reach without a restart, not a moment.
    await waitFor('both services ready again', async () =>
      (await ready(ingestion)) === 200 && (await ready(backlog)) === 200 ? true : undefined,
    );
    process.stdout.write(
      `[faults] broker restart: ${messages.length} records, broker down ${(downForMs / 1000).toFixed(1)} s at ${committedAtStop} committed (ingestion readiness while down: ${whileDown}), ${events.length} events read (${new Set(expected.map((e: { eventId: string }) => e.eventId)).size} distinct expected), ${items.length} backlog items in their final state, services restarted 0, lost 0\n`,
    );
  });
});
