/**
 * One queue of work per partition: a partition's batches, its checkpoint snapshots and the stale
 * sweep over it never interleave, while different partitions run side by side.
 */
export class PartitionLocks {
  private readonly tails = new Map<number, Promise<unknown>>();

  run<T>(partition: number, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(partition) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.tails.set(partition, next);
    return next;
  }
}
