import { PartitionLocks } from './partition-locks';

describe('PartitionLocks', () => {
  it('runs one partition’s work in order and other partitions’ beside it', async () => {
    const locks = new PartitionLocks();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = locks.run(0, async () => {
      await gate;
      log.push('p0 first');
    });
    const second = locks.run(0, async () => void log.push('p0 second'));
    await locks.run(1, async () => void log.push('p1'));
    expect(log).toEqual(['p1']);
    expect(locks.idle(0)).toBe(false);
    expect(locks.idle(1)).toBe(true);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['p1', 'p0 first', 'p0 second']);
    expect(locks.idle(0)).toBe(true);
  });

  it('goes on after a failed piece of work', async () => {
    const locks = new PartitionLocks();
    await expect(locks.run(0, async () => Promise.reject(new Error('lost')))).rejects.toThrow();
    await expect(locks.run(0, async () => 'next')).resolves.toBe('next');
    expect(locks.idle(0)).toBe(true);
  });
});
