import { inFlight } from './in-flight';

describe('inFlight', () => {
  it('keeps the items order and never exceeds the limit', async () => {
    let running = 0;
    let most = 0;
    const out = await inFlight([5, 1, 4, 2, 3, 0], 3, async (v, i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, v));
      running--;
      return `${i}:${v}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    expect(most).toBe(3);
  });

  it('rejects with the first failure', async () => {
    await expect(
      inFlight([1, 2], 2, async (v) => {
        if (v === 2) throw new Error('no');
        return v;
      }),
    ).rejects.toThrow('no');
  });
});
