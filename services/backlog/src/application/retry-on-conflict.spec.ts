import { WrongExpectedVersionError } from '../event-store/event-store.types';
import { retryOnConflict } from './retry-on-conflict';

const conflict = () => new WrongExpectedVersionError('item-1', 3, 4);

describe('retryOnConflict', () => {
  it('runs the work again after a conflict and returns its result', async () => {
    let calls = 0;
    const result = await retryOnConflict(async () => {
      if (++calls < 3) throw conflict();
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives the last conflict to the caller after the given number of attempts', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw conflict();
      }, 4),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(calls).toBe(4);
  });

  it('never retries another error', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect(calls).toBe(1);
  });
});
