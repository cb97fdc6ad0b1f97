import { BucketRing } from './bucket-ring';

const MIN5 = 300_000;

describe('BucketRing', () => {
  it('sums the buckets of a window, end exclusive', () => {
    const ring = new BucketRing(MIN5, 12, 3);
    ring.add3(0, 1, 0, 0);
    ring.add3(MIN5 + 1, 2, 1, 0);
    ring.add3(2 * MIN5, 4, 0, 1);
    expect(ring.sum(2 * MIN5, 2 * MIN5)).toEqual([3, 1, 0]);
    expect(ring.sum(3 * MIN5, MIN5)).toEqual([4, 0, 1]);
  });

  it('survives its JSON form (the changelog checkpoint)', () => {
    const ring = new BucketRing(MIN5, 12, 3);
    for (let t = 0; t < 30 * MIN5; t += 70_000) ring.add3(t, 1, t % 2, t % 3 === 0 ? 1 : 0);
    const copy = BucketRing.fromJSON(ring.toJSON(), MIN5, 12, 3);
    expect(copy.sum(30 * MIN5, 12 * MIN5)).toEqual(ring.sum(30 * MIN5, 12 * MIN5));
    expect(ring.sum(30 * MIN5, 12 * MIN5)[0]).toBeGreaterThan(0);
  });

  it('reuses a slot when time moves past it and ignores what is older than it remembers', () => {
    const ring = new BucketRing(MIN5, 4, 3);
    ring.add3(0, 5, 0, 0);
    ring.add3(4 * MIN5, 1, 0, 0); // same slot, four buckets later: the old count is gone
    ring.add3(0, 7, 0, 0); // older than the ring: dropped
    expect(ring.sum(5 * MIN5, 5 * MIN5)).toEqual([1, 0, 0]);
  });

  it('restores a checkpoint of a larger ring keeping the newest bucket of each slot', () => {
    const large = new BucketRing(MIN5, 8, 2);
    // Buckets 4..11, each counting its own number: slots 0..3 hold 8..11, so the checkpoint lists
    // the newer buckets first.
    for (let b = 4; b < 12; b++) large.add2(b * MIN5, b, 0);
    const small = BucketRing.fromJSON(large.toJSON(), MIN5, 4, 2);
    expect(small.sum(12 * MIN5, 4 * MIN5)).toEqual([8 + 9 + 10 + 11, 0]);
    expect(small.sum(8 * MIN5, 4 * MIN5)).toEqual([0, 0]);
  });
});
