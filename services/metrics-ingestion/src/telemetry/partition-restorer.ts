import type { ModelState } from '../model-state/model-state';

/** Reads the model states of the given partitions back from the changelog. */
export type RestoreFn = (partitions: number[]) => Promise<Map<number, Map<string, ModelState>>>;

/**
 * Restores each assigned partition's model states once, before its first batch is folded. One
 * read serves all partitions assigned together; a failed read is retried by the next batch.
 */
export class PartitionRestorer {
  private readonly restoring = new Map<number, Promise<void>>();

  constructor(
    private readonly restore: RestoreFn,
    private readonly install: (restored: Map<number, Map<string, ModelState>>) => void,
  ) {}

  /** Starts restoring newly assigned partitions; says which were revoked and which are new. */
  assign(partitions: number[]): { revoked: number[]; fresh: number[] } {
    const assigned = new Set(partitions);
    const revoked = [...this.restoring.keys()].filter((p) => !assigned.has(p));
    for (const p of revoked) this.restoring.delete(p);
    const fresh = partitions.filter((p) => !this.restoring.has(p));
    if (fresh.length === 0) return { revoked, fresh };
    const all = this.restore(fresh).then(this.install);
    for (const p of fresh) {
      const pending = all.catch((error: unknown) => {
        this.restoring.delete(p);
        throw error;
      });
      pending.catch(() => undefined);
      this.restoring.set(p, pending);
    }
    return { revoked, fresh };
  }

  /** Resolves once the partition is restored, heart-beating meanwhile (a restore can take long). */
  async ready(partition: number, heartbeat: () => Promise<void>): Promise<void> {
    let pending = this.restoring.get(partition);
    if (!pending) {
      this.assign([...this.restoring.keys(), partition]);
      pending = this.restoring.get(partition)!;
    }
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 2000);
    try {
      await pending;
    } finally {
      clearInterval(beat);
    }
  }

  forget(partition: number): void {
    this.restoring.delete(partition);
  }
}
