import { DLQ_HEADERS } from '@fulcrum/contracts';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  produceTelemetry,
  readAll,
  waitFor,
} from '../support/kafka-test-kit';
import { handledOffsets, kill, spawnService, type ServiceProcess } from '../support/processes';
import {
  crashWorkload,
  expectUninterruptedOutcome,
  ingestionEnv,
  pacedProducer,
} from './fault-workload';

describe('faults: metrics-ingestion killed with SIGKILL', () => {
  const running: ServiceProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGKILL');
  });
  afterAll(closeTestProducer);

  it('kill -9 mid-stream, restart: the same set of event ids as without the crash, every record accounted for', async () => {
    const topics = await freshTopics();
    const groupId = `crash-${Date.now()}`;
    const { messages, invalidOffsets } = crashWorkload('crash');
    const first = await spawnService('metrics-ingestion', ingestionEnv(topics, groupId));
    running.push(first);
    // Stream the first half in slices, and kill the process at a moment it has processed records
    // whose offsets are not committed yet: the replay path (refold, re-emit with equal ids, skip
    // what a checkpoint already holds) is what this test is for.
    const half = Math.floor(messages.length / 2);
    const producer = pacedProducer(topics.telemetry, messages.slice(0, half));
    const atKill = await waitFor(
      'records processed and not yet committed',
      async () => {
        const committed = await committedCount(groupId, topics.telemetry);
        const handled = await handledOffsets(first);
        return committed > 20 && handled > committed && { committed, handled };
      },
      60_000,
    ).catch((error: unknown) => {
      producer.stop();
      throw error;
    });
    await kill(first, 'SIGKILL');
    const committedAtCrash = await committedCount(groupId, topics.telemetry);
    // The rest of the first half still goes in: every record must be accounted for at the end.
    await producer.done;
    // The kill left work in flight: processed by the first instance, its offsets not committed.
    expect(committedAtCrash).toBeLessThan(atKill.handled);

    const second = await spawnService('metrics-ingestion', ingestionEnv(topics, groupId));
    running.push(second);
    await produceTelemetry(topics.telemetry, messages.slice(half));
    const { events, expected } = await expectUninterruptedOutcome(
      topics,
      groupId,
      messages.length,
      'all committed',
      'crash',
    );
    // (Repeats of an id are checked to be the same event in expectUninterruptedOutcome.)

    // Accounted for: every offset committed, every invalid record dead-lettered (at least once).
    const dlq = await readAll(topics.telemetryDlq);
    expect(new Set(dlq.map((m) => m.headers[DLQ_HEADERS.sourceOffset])).size).toBe(invalidOffsets);
    const metrics = await (await fetch(`http://127.0.0.1:${second.port}/metrics`)).text();
    const restored = Number(
      /fulcrum_ingestion_state_restored_models_total (\d+)/.exec(metrics)?.[1] ?? 0,
    );
    expect(restored).toBeGreaterThan(0);
    // The replay path was taken: the restarted instance handled (refolded, or skipped by offset as
    // already checkpointed) records the first had processed before it died.
    const handledAgain = atKill.handled + (await handledOffsets(second)) - messages.length;
    expect(handledAgain).toBeGreaterThan(0);
    process.stdout.write(
      `[faults] ingestion kill -9: ${messages.length} records (${invalidOffsets} invalid), crash at ${committedAtCrash} committed with ${atKill.handled} processed, ${handledAgain} handled again after the restart, ${events.length} events read (${new Set(expected.map((e: { eventId: string }) => e.eventId)).size} distinct expected), restored ${restored} model states, lost 0\n`,
    );
  });
});
