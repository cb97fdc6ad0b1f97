import { SumRing } from './sum-ring';

const MIN5 = 300_000;

describe('SumRing', () => {
  it('sums the buckets of a window, end exclusive', () => {
    const ring = new SumRing(MIN5, 12);
    ring.add(0, 1, 1);
    ring.add(MIN5 + 1, 2, 1);
    ring.add(2 * MIN5, 4, 3);
    expect(ring.sum(2 * MIN5, 2 * MIN5)).toEqual([3, 2]);
    expect(ring.sum(3 * MIN5, MIN5)).toEqual([4, 3]);
  });

  it('clears the buckets time jumps over and refuses what is older than the ring reaches', () => {
    const ring = new SumRing(MIN5, 4);
    ring.add(0, 5, 1);
    ring.add(MIN5, 6, 1);
    ring.add(5 * MIN5, 1, 1); // buckets 2..5 now: bucket 1's slot is reused, bucket 0 is gone
    ring.add(MIN5, 7, 1); // older than the ring reaches: dropped
    ring.add(2 * MIN5, 3, 1); // still inside: counted
    expect(ring.sum(6 * MIN5, 6 * MIN5)).toEqual([4, 2]);
    expect(ring.sum(2 * MIN5, 2 * MIN5)).toEqual([0, 0]);
  });

  it('gives the same sums in any arrival order within its reach', () => {
    const adds = Array.from(
      { length: 200 },
      (_, k) => [(k * 7919) % (4 * MIN5), k % 5, 1] as const,
    );
    const inOrder = new SumRing(MIN5, 4);
    const shuffled = new SumRing(MIN5, 4);
    for (const [t, a, b] of [...adds].sort((x, y) => x[0] - y[0])) inOrder.add(t, a, b);
    for (const [t, a, b] of adds) shuffled.add(t, a, b);
    expect(shuffled.toJSON()).toEqual(inOrder.toJSON());
  });

  it('survives its JSON form, dropping only empty leading buckets', () => {
    const ring = new SumRing(MIN5, 12);
    ring.add(20 * MIN5, 2, 1);
    ring.add(22 * MIN5, 5, 2);
    const json = ring.toJSON();
    expect(json).toEqual({ n: 22, c: [2, 1, 0, 0, 5, 2] });
    const copy = new SumRing(MIN5, 12);
    copy.restore(json);
    expect(copy.sum(23 * MIN5, 12 * MIN5)).toEqual([7, 3]);
    copy.add(11 * MIN5, 1, 1); // the restored ring still knows how far back it reaches
    expect(copy.sum(23 * MIN5, 12 * MIN5)).toEqual([8, 4]);
    copy.add(10 * MIN5, 1, 1);
    expect(copy.sum(23 * MIN5, 13 * MIN5)).toEqual([8, 4]);
  });

  it('reads the checkpoint of a two-counter BucketRing, the newest bucket of each slot winning', () => {
    // Buckets 4..11 of an 8-slot ring, listed in slot order (8..11 before 4..7), into 4 slots.
    const legacy = {
      i: [8, 9, 10, 11, 4, 5, 6, 7],
      c: [8, 1, 9, 1, 10, 1, 11, 1, 4, 1, 5, 1, 6, 1, 7, 1],
    };
    const ring = new SumRing(MIN5, 4);
    ring.restore(legacy);
    expect(ring.sum(12 * MIN5, 4 * MIN5)).toEqual([8 + 9 + 10 + 11, 4]);
    expect(ring.sum(8 * MIN5, 4 * MIN5)).toEqual([0, 0]);
  });

  it('holds 32-bit sums in half the bytes', () => {
    expect(new SumRing(MIN5, 26, 32).byteLength).toBe(26 * 2 * 4 + 8);
    expect(new SumRing(MIN5, 25, 64).byteLength).toBe(25 * 2 * 8 + 8);
  });
});
