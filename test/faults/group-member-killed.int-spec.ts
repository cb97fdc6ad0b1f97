import type { ReliabilityEvent } from '@fulcrum/contracts';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  produceTelemetry,
  waitFor,
} from '../support/kafka-test-kit';
import { kill, metricSum as metric, spawnService, type ServiceProcess } from '../support/processes';
import { crashWorkload, expectUninterruptedOutcome, ingestionEnv } from './fault-workload';

describe('faults: one of two metrics-ingestion instances in a group is killed with SIGKILL', () => {
  const running: ServiceProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGKILL');
  });
  afterAll(closeTestProducer);

  it('the survivor takes over its partitions, restores their state from the changelog and opens no incident twice', async () => {
    const topics = await freshTopics();
    const groupId = `member-killed-${Date.now()}`;
    const { messages, valid } = crashWorkload('member');
    // The smallest session timeout the broker accepts, so the dead member is noticed in seconds.
    const env = { ...ingestionEnv(topics, groupId), FULCRUM_INGESTION_SESSION_TIMEOUT_MS: '6000' };
    const victim = await spawnService('metrics-ingestion', env);
    running.push(victim);
    const survivor = await spawnService('metrics-ingestion', env);
    running.push(survivor);

    const half = Math.floor(messages.length / 2);
    for (let i = 0; i < half; i += 40)
      await produceTelemetry(topics.telemetry, messages.slice(i, Math.min(i + 40, half)));
    // Both members have work (3 partitions each) and have checkpointed some of it.
    await waitFor(
      'both members committed progress',
      async () =>
        (await committedCount(groupId, topics.telemetry)) > half / 2 &&
        (await metric(victim, 'fulcrum_ingestion_records_consumed_total')) > 0,
    );
    await kill(victim, 'SIGKILL');
    const committedAtKill = await committedCount(groupId, topics.telemetry);

    await produceTelemetry(topics.telemetry, messages.slice(half));
    const { events, expected } = await expectUninterruptedOutcome(
      topics,
      groupId,
      messages.length,
      valid,
      'every record committed by the survivor',
      'member',
    );
    // One incident id per (model, rule) episode, exactly the ones an uninterrupted run opens.
    const opened = (list: ReliabilityEvent[]) =>
      new Set(list.filter((e) => e.type.endsWith('.opened')).map((e) => e.incidentId));
    expect(opened(events)).toEqual(opened(expected));
    const restored = await metric(survivor, 'fulcrum_ingestion_state_restored_models_total');
    expect(restored).toBeGreaterThan(0);
    process.stdout.write(
      `[faults] group member kill -9: ${messages.length} records, killed at ${committedAtKill} committed, survivor restored ${restored} model states, ${events.length} events read (${new Set(expected.map((e: { eventId: string }) => e.eventId)).size} distinct expected), ${opened(events).size} incidents opened, lost 0\n`,
    );
  });
});
