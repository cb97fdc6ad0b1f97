import type { ReliabilityEvent } from '@fulcrum/contracts';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  produceTelemetry,
  testKafka,
  waitFor,
} from '../support/kafka-test-kit';
import {
  handledOffsets,
  kill,
  metricSum as metric,
  spawnService,
  type ServiceProcess,
} from '../support/processes';
import {
  crashWorkload,
  expectUninterruptedOutcome,
  ingestionEnv,
  pacedProducer,
} from './fault-workload';

/** The partitions a process has processed batches of (its lag gauge has one series per partition). */
async function partitionsOf(p: ServiceProcess): Promise<Set<number>> {
  const text = await (await fetch(`http://127.0.0.1:${p.port}/metrics`)).text();
  return new Set(
    [...text.matchAll(/^fulcrum_ingestion_consumer_lag_messages\{partition="(\d+)"\}/gm)].map((m) =>
      Number(m[1]),
    ),
  );
}

/** The group's committed offsets summed over some partitions of the topic. */
async function committedOn(groupId: string, topic: string, partitions: Set<number>) {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry.partitions
      .filter((p) => partitions.has(p.partition))
      .reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('faults: one of two metrics-ingestion instances in a group is killed with SIGKILL', () => {
  const running: ServiceProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGKILL');
  });
  afterAll(closeTestProducer);

  it('the survivor takes over its partitions, restores their state from the changelog and opens no incident twice', async () => {
    const topics = await freshTopics();
    const groupId = `member-killed-${Date.now()}`;
    const { messages } = crashWorkload('member');
    // The smallest session timeout the broker accepts, so the dead member is noticed in seconds.
    const env = { ...ingestionEnv(topics, groupId), FULCRUM_INGESTION_SESSION_TIMEOUT_MS: '6000' };
    const victim = await spawnService('metrics-ingestion', env);
    running.push(victim);
    const survivor = await spawnService('metrics-ingestion', env);
    running.push(survivor);

    const half = Math.floor(messages.length / 2);
    const producer = pacedProducer(topics.telemetry, messages.slice(0, half));
    // Both members have work (3 partitions each) and have committed some of it, and the victim has
    // processed records of its partitions whose offsets are not committed yet: it dies with work in
    // flight, which the survivor must redo (or skip as checkpointed) from the committed offsets.
    const atKill = await waitFor(
      'the victim with records processed and not yet committed',
      async () => {
        const committed = await committedCount(groupId, topics.telemetry);
        const victimHandled = await handledOffsets(victim);
        const victimPartitions = await partitionsOf(victim);
        const victimCommitted = await committedOn(groupId, topics.telemetry, victimPartitions);
        const survivorHandled = await handledOffsets(survivor);
        return (
          committed > 40 &&
          victimHandled > victimCommitted && {
            handled: victimHandled + survivorHandled,
            survivorHandled,
            victimHandled,
            victimPartitions,
          }
        );
      },
    ).catch((error: unknown) => {
      producer.stop();
      throw error;
    });
    await kill(victim, 'SIGKILL');
    const committedAtKill = await committedCount(groupId, topics.telemetry);
    // The victim died with work in flight: its partitions' committed offsets trail what it processed
    // (read before the survivor, after the session timeout, takes them over).
    expect(await committedOn(groupId, topics.telemetry, atKill.victimPartitions)).toBeLessThan(
      atKill.victimHandled,
    );
    // The rest of the first half still goes in: every record must be accounted for at the end.
    await producer.done;

    await produceTelemetry(topics.telemetry, messages.slice(half));
    const { events, expected } = await expectUninterruptedOutcome(
      topics,
      groupId,
      messages.length,
      'every record committed by the survivor',
      'member',
    );
    // One incident id per (model, rule) episode, exactly the ones an uninterrupted run opens.
    const opened = (list: Pick<ReliabilityEvent, 'type' | 'incidentId'>[]) =>
      new Set(list.filter((e) => e.type.endsWith('.opened')).map((e) => e.incidentId));
    expect(opened(events)).toEqual(opened(expected));
    const restored = await metric(survivor, 'fulcrum_ingestion_state_restored_models_total');
    expect(restored).toBeGreaterThan(0);
    // The survivor redid (or skipped as checkpointed) offsets handled before the kill.
    const handledAgain =
      atKill.handled + (await handledOffsets(survivor)) - atKill.survivorHandled - messages.length;
    expect(handledAgain).toBeGreaterThan(0);
    process.stdout.write(
      `[faults] group member kill -9: ${messages.length} records, killed at ${committedAtKill} committed with ${atKill.handled} processed, ${handledAgain} handled again by the survivor, survivor restored ${restored} model states, ${events.length} events read (${new Set(expected.map((e: { eventId: string }) => e.eventId)).size} distinct expected), ${opened(events).size} incidents opened, lost 0\n`,
    );
  });
});
