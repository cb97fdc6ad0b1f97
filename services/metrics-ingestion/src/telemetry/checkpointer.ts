import type { ModelState } from '../model-state/model-state';

/** What a checkpoint needs from the outside world: the changelog and the consumer's commit. */
export interface CheckpointPorts {
  /** Serializes the models now and returns the write to run later (see StateChangelogRepository). */
  snapshot(partition: number, models: Iterable<ModelState>): () => Promise<void>;
  /** Commits `offset` (the next record to read) for the partition. */
  commit(topic: string, partition: number, offset: string): Promise<void>;
  /** A checkpoint of these models was not written (or not wholly): see ModelState.checkpointLost. */
  lost(models: Iterable<ModelState>): void;
}

/** A partition's models changed, and its last processed offset, since its last checkpoint. */
interface Pending {
  topic: string;
  models: Set<ModelState>;
  offset: string;
  since: number;
}

/**
 * The share of the thread that routine checkpoints may take. Serializing a checkpoint and encoding
 * its write (kafkajs's record encoding and CRC, about as long again in the profile) run on the one
 * thread that also folds records: while 200 models built their first-N references, all six
 * partitions checkpointed megabytes together every second and held the thread for 0.5–1 s in a row
 * — the detection-latency tail. Checkpoints forced by a rebalance or a shutdown are exempt.
 */
const CHECKPOINT_SHARE = 0.25;

/**
 * Checkpoints per partition: the models a batch touched go to the state changelog, and only then is
 * the offset of the last processed record committed. Taken at most every `intervalMs` — a write per
 * batch dominated the hot path. The snapshot is taken synchronously at a batch boundary (so it
 * matches the offset) and written and committed in the background, in order per partition: waiting
 * for it inside the batch held up every partition's next fetch. A failed write puts its models
 * back, and so do the writes queued behind it, so no commit ever passes a lost checkpoint.
 *
 * Routine checkpoints are spread and budgeted: at most one partition's is taken per
 * `intervalMs / partitions`, and a partition whose last snapshot took `c` ms waits at least
 * `2c × partitions / CHECKPOINT_SHARE` before its next. Small checkpoints keep the interval; large
 * ones (models building a reference) commit less often — a crash then redoes a few more seconds.
 */
export class Checkpointer {
  private readonly pending = new Map<number, Pending>();
  /** Per partition: the checkpoint writes and commits in flight, in the order they were taken. */
  private readonly flushes = new Map<number, Promise<void>>();
  /** Per partition: bumped when its state is dropped, so a late failure cannot requeue stale models. */
  private readonly epochs = new Map<number, number>();
  /**
   * Per partition processed since it was assigned: the earliest time of its next routine
   * checkpoint (by the cost of its last).
   */
  private readonly notBefore = new Map<number, number>();
  private lastSnapshotAt = -Infinity;

  constructor(
    private readonly ports: CheckpointPorts,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A batch of the partition was processed and its output acknowledged, up to `offset`. */
  processed(topic: string, partition: number, models: Iterable<ModelState>, offset: string): void {
    let pending = this.pending.get(partition);
    if (!pending) {
      pending = { topic, models: new Set<ModelState>(), offset, since: this.clock() };
      this.pending.set(partition, pending);
      if (!this.notBefore.has(partition)) this.notBefore.set(partition, -Infinity);
    }
    for (const model of models) pending.models.add(model);
    pending.offset = offset;
  }

  /**
   * Whether the partition's routine checkpoint is due: something has waited for the interval, its
   * budget allows (see the class comment) and no other partition's was taken just before.
   */
  due(partition: number): boolean {
    const pending = this.pending.get(partition);
    if (pending === undefined) return false;
    const now = this.clock();
    const spacing = this.intervalMs / this.partitions();
    return (
      now - pending.since >= this.intervalMs &&
      now >= (this.notBefore.get(partition) ?? -Infinity) &&
      now - this.lastSnapshotAt >= spacing
    );
  }

  duePartitions(): number[] {
    return [...this.pending.keys()].filter((p) => this.due(p));
  }

  pendingPartitions(): number[] {
    return [...this.pending.keys()];
  }

  /**
   * Takes the partition's checkpoint now and writes then commits it after every earlier one of the
   * partition. Resolves when committed; with nothing pending, when the earlier ones are done.
   */
  start(partition: number): Promise<void> {
    const pending = this.pending.get(partition);
    const previous = this.flushes.get(partition) ?? Promise.resolve();
    if (!pending) return previous;
    const partitions = this.partitions();
    this.pending.delete(partition);
    const started = this.clock();
    const write = this.ports.snapshot(partition, pending.models);
    this.lastSnapshotAt = this.clock();
    const cost = this.lastSnapshotAt - started;
    this.notBefore.set(partition, started + (2 * cost * partitions) / CHECKPOINT_SHARE);
    const epoch = this.epochs.get(partition) ?? 0;
    const done = previous
      .then(write)
      .then(() => this.ports.commit(pending.topic, partition, String(Number(pending.offset) + 1)))
      .catch((error: unknown) => {
        this.ports.lost(pending.models);
        if ((this.epochs.get(partition) ?? 0) === epoch) this.requeue(partition, pending);
        throw error;
      });
    const tracked = done.finally(() => {
      if (this.flushes.get(partition) === tracked) this.flushes.delete(partition);
    });
    tracked.catch(() => undefined);
    this.flushes.set(partition, tracked);
    return done;
  }

  /** Settles when the partition's checkpoints in flight have (never rejects). */
  settled(partition: number): Promise<void> {
    return (this.flushes.get(partition) ?? Promise.resolve()).catch(() => undefined);
  }

  /** Waits for every checkpoint in flight; `onError` hears each that failed. */
  async drain(onError: (error: unknown, partition: number) => void): Promise<void> {
    await Promise.all(
      [...this.flushes].map(([partition, flush]) =>
        flush.catch((error: unknown) => onError(error, partition)),
      ),
    );
  }

  /** The partition's state was dropped: nothing of it is checkpointed or requeued any more. */
  forget(partition: number): void {
    this.epochs.set(partition, (this.epochs.get(partition) ?? 0) + 1);
    this.pending.delete(partition);
    this.notBefore.delete(partition);
  }

  /** The partitions sharing the thread: every one processed since it was assigned. */
  private partitions(): number {
    return Math.max(1, this.notBefore.size);
  }

  private requeue(partition: number, failed: Pending): void {
    const current = this.pending.get(partition);
    if (!current) {
      this.pending.set(partition, failed);
      return;
    }
    for (const model of failed.models) current.models.add(model);
    current.since = Math.min(current.since, failed.since);
    if (Number(failed.offset) > Number(current.offset)) current.offset = failed.offset;
  }
}
