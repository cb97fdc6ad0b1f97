import {
  closeTestProducer,
  freshTopics,
  produceTelemetry,
  waitFor,
} from '../support/kafka-test-kit';
import { kill, metricSum, spawnService, type ServiceProcess } from '../support/processes';
import { crashWorkload, expectUninterruptedOutcome, ingestionEnv } from './fault-workload';

/** Records an instance folded (applied or late) and skipped as already checkpointed, so far. */
async function counts(p: ServiceProcess): Promise<{ folded: number; skipped: number }> {
  return {
    folded:
      (await metricSum(p, 'fulcrum_ingestion_records_consumed_total')) +
      (await metricSum(p, 'fulcrum_ingestion_records_late_total')),
    skipped: await metricSum(p, 'fulcrum_ingestion_records_reprocessed_skipped_total'),
  };
}

/** The counts a stopped instance logged last ("telemetry consumer stopped"). */
function finalCounts(p: ServiceProcess): { folded: number; skipped: number } {
  const line = p
    .output()
    .split('\n')
    .find((l) => l.includes('"recordsFolded"'));
  if (!line) throw new Error(`no final counts logged:\n${p.output().slice(-1500)}`);
  const log = JSON.parse(line) as { recordsFolded: number; recordsSkipped: number };
  return { folded: log.recordsFolded, skipped: log.recordsSkipped };
}

describe('faults: a planned rebalance under traffic (a member joins, later one leaves gracefully)', () => {
  const running: ServiceProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) await kill(p, 'SIGKILL');
  });
  afterAll(closeTestProducer);

  it('publishes every event of the story exactly as an uninterrupted run and folds no record twice', async () => {
    const topics = await freshTopics();
    const groupId = `planned-rebalance-${Date.now()}`;
    // Its six models hash to partitions 0, 1, 3, 4, 5: both members get some of them.
    const { messages, valid } = crashWorkload('moved');
    const env = ingestionEnv(topics, groupId);
    const first = await spawnService('metrics-ingestion', env);
    running.push(first);

    // Traffic keeps flowing while the group changes, so batches are in flight at each rebalance.
    let sent = 0;
    let producing = true;
    const producer = (async () => {
      while (producing && sent < messages.length) {
        const next = Math.min(sent + 20, messages.length);
        await produceTelemetry(topics.telemetry, messages.slice(sent, next));
        sent = next;
        // Paced to last about 30 s: the joiner needs seconds to start.
        await new Promise((r) => setTimeout(r, 30_000 / (messages.length / 20)));
      }
    })();
    const third = Math.floor(messages.length / 3);
    let left: { folded: number; skipped: number };
    let sentAtJoin: number | undefined;
    let sentAtLeave: number | undefined;
    try {
      await waitFor('a third sent', async () => sent >= third);
      const second = await spawnService('metrics-ingestion', env);
      running.push(second);
      await waitFor('the joiner folded records', async () => (await counts(second)).folded > 0);
      sentAtJoin = sent;
      await waitFor('two thirds sent', async () => sent >= 2 * third);
      sentAtLeave = sent;
      expect(await kill(second, 'SIGTERM')).toBe(true);
      left = finalCounts(second);
    } catch (error) {
      // A failed step must not leave the loop producing into the next test file's run.
      producing = false;
      throw error;
    } finally {
      await producer;
    }

    await expectUninterruptedOutcome(
      topics,
      groupId,
      messages.length,
      'every record committed',
      'moved',
    );
    const stayed = await counts(first);
    const folded = stayed.folded + left.folded;
    // The join took effect and the leave began while records were still being produced.
    expect(sentAtJoin).toBeGreaterThan(0);
    expect(sentAtJoin).toBeLessThan(messages.length);
    expect(sentAtLeave).toBeLessThan(messages.length);
    // The README's claim: a planned join or leave reprocesses nothing — every valid record folded
    // exactly once across the two members, and none redelivered to be skipped by offset.
    expect(folded).toBe(valid.length);
    expect(stayed.skipped + left.skipped).toBe(0);
    process.stdout.write(
      `[faults] planned rebalance: ${valid.length} valid records, folded ${folded} (${folded - valid.length} twice), skipped as checkpointed ${stayed.skipped + left.skipped}\n`,
    );
  });
});
