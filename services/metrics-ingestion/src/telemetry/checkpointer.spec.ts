import { ModelState } from '../model-state/model-state';
import { Checkpointer, type CheckpointPorts } from './checkpointer';

/** A changelog and a commit that record what happened and fail or wait when told to. */
function harness(intervalMs = 1000) {
  let now = 0;
  const log: string[] = [];
  const failWrites = new Set<number>();
  const gates: Array<() => void> = [];
  let gated = false;
  let writes = 0;
  let snapshotMs = 0;
  const ports: CheckpointPorts = {
    snapshot: (partition, models) => {
      now += snapshotMs;
      const names = [...models].map((m) => m.modelId).join('+');
      const n = ++writes;
      return async () => {
        if (gated) await new Promise<void>((resolve) => gates.push(resolve));
        if (failWrites.has(n)) throw new Error(`write ${n} lost`);
        log.push(`write p${partition} ${names}`);
      };
    },
    commit: async (topic, partition, offset) =>
      void log.push(`commit ${topic}/${partition}@${offset}`),
    lost: (models) => void log.push(`lost ${[...models].map((m) => m.modelId).join('+')}`),
  };
  const checkpoints = new Checkpointer(ports, intervalMs, () => now);
  return {
    checkpoints,
    log,
    failWrites,
    tick: (ms: number) => (now += ms),
    /** How long each snapshot (the synchronous serialization) takes on the harness clock. */
    snapshotTakes: (ms: number) => (snapshotMs = ms),
    hold: () => (gated = true),
    release: () => {
      gated = false;
      gates.splice(0).forEach((open) => open());
    },
  };
}

const a = new ModelState('a');
const b = new ModelState('b');

describe('Checkpointer', () => {
  it('given a processed batch, when started, then writes the models and commits the next offset', async () => {
    const h = harness();
    h.checkpoints.processed('t', 0, [a], '41');
    await h.checkpoints.start(0);
    expect(h.log).toEqual(['write p0 a', 'commit t/0@42']);
    expect(h.checkpoints.pendingPartitions()).toEqual([]);
  });

  it('is due only once something has waited for the interval', () => {
    const h = harness(1000);
    expect(h.checkpoints.due(0)).toBe(false);
    h.checkpoints.processed('t', 0, [a], '1');
    h.tick(999);
    h.checkpoints.processed('t', 0, [b], '2');
    expect(h.checkpoints.due(0)).toBe(false);
    h.tick(1);
    expect(h.checkpoints.duePartitions()).toEqual([0]);
  });

  it('spreads routine checkpoints: after one partition’s, the next is due interval / partitions later', async () => {
    const h = harness(1200);
    for (const p of [0, 1, 2]) h.checkpoints.processed('t', p, [a], '1');
    h.tick(1200);
    expect(h.checkpoints.duePartitions()).toEqual([0, 1, 2]);
    await h.checkpoints.start(0);
    expect(h.checkpoints.duePartitions()).toEqual([]);
    h.tick(399);
    expect(h.checkpoints.due(1)).toBe(false);
    h.tick(1);
    expect(h.checkpoints.duePartitions()).toEqual([1, 2]);
  });

  it('makes a partition whose snapshot was expensive wait longer, so checkpoints keep to their share', async () => {
    const h = harness(1000);
    for (const p of [0, 1]) h.checkpoints.processed('t', p, [a], '1');
    h.tick(1000);
    h.snapshotTakes(100);
    await h.checkpoints.start(0);
    h.checkpoints.processed('t', 0, [a], '2');
    // 2 × 100 ms × 2 partitions / 0.25: the next routine checkpoint 1,600 ms after the last began.
    h.tick(1499);
    expect(h.checkpoints.due(0)).toBe(false);
    h.tick(1);
    expect(h.checkpoints.due(0)).toBe(true);
    // Forced checkpoints (rebalance, shutdown) are not held back.
    await h.checkpoints.start(0);
    expect(h.log.filter((line) => line.startsWith('commit t/0'))).toEqual([
      'commit t/0@2',
      'commit t/0@3',
    ]);
  });

  it('writes and commits a partition’s checkpoints in the order they were taken', async () => {
    const h = harness();
    h.hold();
    h.checkpoints.processed('t', 0, [a], '10');
    const first = h.checkpoints.start(0);
    h.checkpoints.processed('t', 0, [b], '20');
    const second = h.checkpoints.start(0);
    h.release();
    await Promise.all([first, second]);
    expect(h.log).toEqual(['write p0 a', 'commit t/0@11', 'write p0 b', 'commit t/0@21']);
  });

  it('given a lost write, then nothing commits past it and its models and the ones queued behind it come back', async () => {
    const h = harness();
    h.failWrites.add(1);
    h.hold();
    h.checkpoints.processed('t', 0, [a], '10');
    const first = h.checkpoints.start(0);
    h.checkpoints.processed('t', 0, [b], '20');
    const second = h.checkpoints.start(0);
    h.release();
    await expect(first).rejects.toThrow('write 1 lost');
    await expect(second).rejects.toThrow('write 1 lost');
    // Both snapshots' models hear it (their row logs are rewritten: chunks may be missing).
    expect(h.log).toEqual(['lost a', 'lost b']);
    // The retry writes both models at their current state with the newer offset.
    await h.checkpoints.start(0);
    expect(h.log).toEqual(['lost a', 'lost b', 'write p0 a+b', 'commit t/0@21']);
  });

  it('given a partition forgotten while its write is in flight, then a failure does not bring its models back', async () => {
    const h = harness();
    h.failWrites.add(1);
    h.hold();
    h.checkpoints.processed('t', 3, [a], '5');
    const flush = h.checkpoints.start(3);
    h.checkpoints.forget(3);
    h.release();
    await expect(flush).rejects.toThrow();
    expect(h.checkpoints.pendingPartitions()).toEqual([]);
  });

  it('settled() and drain() wait for writes in flight and never reject', async () => {
    const h = harness();
    h.failWrites.add(2);
    h.hold();
    h.checkpoints.processed('t', 0, [a], '1');
    void h.checkpoints.start(0).catch(() => undefined);
    h.checkpoints.processed('t', 1, [b], '1');
    void h.checkpoints.start(1).catch(() => undefined);
    let settled = false;
    const waiting = h.checkpoints.settled(0).then(() => (settled = true));
    const failed: number[] = [];
    const drained = h.checkpoints.drain((_e, partition) => failed.push(partition));
    await Promise.resolve();
    expect(settled).toBe(false);
    h.release();
    await Promise.all([waiting, drained]);
    expect(h.log).toEqual(['write p0 a', 'commit t/0@2', 'lost b']);
    expect(failed).toEqual([1]);
  });
});
