import type { ModelState } from '../model-state/model-state';

/** What a checkpoint needs from the outside world: the changelog and the consumer's commit. */
export interface CheckpointPorts {
  /** Serializes the models now and returns the write to run later (see StateChangelogRepository). */
  snapshot(partition: number, models: Iterable<ModelState>): () => Promise<void>;
  /** Commits `offset` (the next record to read) for the partition. */
  commit(topic: string, partition: number, offset: string): Promise<void>;
}

/** A partition's models changed, and its last processed offset, since its last checkpoint. */
interface Pending {
  topic: string;
  models: Set<ModelState>;
  offset: string;
  since: number;
}

/**
 * Checkpoints per partition: the models a batch touched go to the state changelog, and only then is
 * the offset of the last processed record committed. Taken at most every `intervalMs` — a write per
 * batch dominated the hot path. The snapshot is taken synchronously at a batch boundary (so it
 * matches the offset) and written and committed in the background, in order per partition: waiting
 * for it inside the batch held up every partition's next fetch. A failed write puts its models
 * back, and so do the writes queued behind it, so no commit ever passes a lost checkpoint.
 */
export class Checkpointer {
  private readonly pending = new Map<number, Pending>();
  /** Per partition: the checkpoint writes and commits in flight, in the order they were taken. */
  private readonly flushes = new Map<number, Promise<void>>();
  /** Per partition: bumped when its state is dropped, so a late failure cannot requeue stale models. */
  private readonly epochs = new Map<number, number>();

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
    }
    for (const model of models) pending.models.add(model);
    pending.offset = offset;
  }

  /** Whether the partition has had something to checkpoint for at least the interval. */
  due(partition: number): boolean {
    const pending = this.pending.get(partition);
    return pending !== undefined && this.clock() - pending.since >= this.intervalMs;
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
    this.pending.delete(partition);
    const write = this.ports.snapshot(partition, pending.models);
    const epoch = this.epochs.get(partition) ?? 0;
    const done = previous
      .then(write)
      .then(() => this.ports.commit(pending.topic, partition, String(Number(pending.offset) + 1)))
      .catch((error: unknown) => {
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
