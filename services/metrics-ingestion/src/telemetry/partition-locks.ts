/**
 * One queue of work per partition: a partition's batches, its checkpoint snapshots and the stale
 * sweep over it never interleave, while different partitions run side by side.
 */
export class PartitionLocks {
  private readonly tails = new Map<number, Promise<unknown>>();
  /** Per partition: work queued or running. */
  private readonly queued = new Map<number, number>();

  run<T>(partition: number, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(partition) ?? Promise.resolve();
    this.queued.set(partition, (this.queued.get(partition) ?? 0) + 1);
    const next = previous
      .catch(() => undefined)
      .then(work)
      .finally(() => this.queued.set(partition, this.queued.get(partition)! - 1));
    this.tails.set(partition, next);
    return next;
  }

  /** Settles when the work queued on every partition so far has. */
  async settled(): Promise<void> {
    await Promise.all([...this.tails.values()].map((t) => t.catch(() => undefined)));
  }

  /** Nothing runs or waits on the partition: synchronous work on its state cannot interleave. */
  idle(partition: number): boolean {
    return (this.queued.get(partition) ?? 0) === 0;
  }
}
