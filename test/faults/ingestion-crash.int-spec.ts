import { DLQ_HEADERS } from '@fulcrum/contracts';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  produceTelemetry,
  readAll,
  waitFor,
} from '../support/kafka-test-kit';
import { kill, spawnService, type ServiceProcess } from '../support/processes';
import { crashWorkload, expectUninterruptedOutcome, ingestionEnv } from './fault-workload';

describe('faults: metrics-ingestion killed with SIGKILL', () => {
  const running: ServiceProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGKILL');
  });
  afterAll(closeTestProducer);

  it('kill -9 mid-stream, restart: the same set of event ids as without the crash, every record accounted for', async () => {
    const topics = await freshTopics();
    const groupId = `crash-${Date.now()}`;
    const { messages, valid, invalidOffsets } = crashWorkload('crash');
    const first = await spawnService('metrics-ingestion', ingestionEnv(topics, groupId));
    running.push(first);
    // Stream the records in slices and kill the process while it is busy with them.
    const half = Math.floor(messages.length / 2);
    for (let i = 0; i < half; i += 40)
      await produceTelemetry(topics.telemetry, messages.slice(i, Math.min(i + 40, half)));
    await waitFor(
      'some progress',
      async () => (await committedCount(groupId, topics.telemetry)) > 50,
    );
    await kill(first, 'SIGKILL');
    const committedAtCrash = await committedCount(groupId, topics.telemetry);

    const second = await spawnService('metrics-ingestion', ingestionEnv(topics, groupId));
    running.push(second);
    await produceTelemetry(topics.telemetry, messages.slice(half));
    const { events, expected } = await expectUninterruptedOutcome(
      topics,
      groupId,
      messages.length,
      valid,
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
    process.stdout.write(
      `[faults] ingestion kill -9: ${messages.length} records (${invalidOffsets} invalid), crash at ${committedAtCrash} committed, ${events.length} events read (${new Set(expected.map((e: { eventId: string }) => e.eventId)).size} distinct expected), restored ${restored} model states, lost 0\n`,
    );
  });
});
