import { messageBytes, sliceMessages } from './produce-in-slices';

const msg = (bytes: number) => ({ key: 'k', value: 'x'.repeat(bytes) });

describe('sliceMessages', () => {
  it('keeps order and puts as many messages in a slice as fit', () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({
      key: String(i),
      value: 'v'.repeat(100),
    }));
    const slices = sliceMessages(messages, 3 * messageBytes(messages[0]));
    expect(slices.map((s) => s.length)).toEqual([3, 3, 3, 1]);
    expect(slices.flat()).toEqual(messages);
  });

  it('gives a message bigger than the limit a slice of its own', () => {
    const slices = sliceMessages([msg(10), msg(5000), msg(10)], 1000);
    expect(slices.map((s) => s.map((m) => String(m.value).length))).toEqual([[10], [5000], [10]]);
  });

  it('counts headers, multi-byte characters and record overhead', () => {
    expect(messageBytes({ key: 'é', value: null, headers: { h: ['ab', Buffer.from('c')] } })).toBe(
      64 + 2 + 1 + 3,
    );
  });

  it('returns nothing for nothing', () => {
    expect(sliceMessages([])).toEqual([]);
  });
});
