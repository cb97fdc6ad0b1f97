import type { ArgumentsHost } from '@nestjs/common';
import type { Logger } from 'pino';
import { EventStoreUnavailableError } from '../event-store/event-store.types';
import { ProblemDetailsFilter } from './problem-details.filter';

function host(sent: { status?: number; body?: string; headers: Record<string, string> }) {
  const response = {
    setHeader: (name: string, value: string) => void (sent.headers[name] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    send: (body: string) => void (sent.body = body),
  };
  return {
    getType: () => 'http',
    switchToHttp: () => ({
      getRequest: () => ({ originalUrl: '/items', path: '/items', headers: {} }),
      getResponse: () => response,
    }),
  } as unknown as ArgumentsHost;
}

describe('ProblemDetailsFilter, database unavailable', () => {
  it('answers every request 503 but logs one warning per cause every 5 s, with the count held back', () => {
    const warn = jest.fn();
    let now = 0;
    const filter = new ProblemDetailsFilter({ warn } as unknown as Logger, () => now);
    const down = () => new EventStoreUnavailableError(new Error('connect ECONNREFUSED'));
    const answered: number[] = [];
    const answer = (error: unknown) => {
      const sent: { status?: number; headers: Record<string, string> } = { headers: {} };
      filter.catch(error, host(sent));
      answered.push(sent.status!);
      expect(sent.headers['Retry-After']).toBe('5');
    };

    for (let i = 0; i < 100; i++, now += 10) answer(down()); // 1 s of an outage under load
    expect(answered.every((s) => s === 503)).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatchObject({ suppressedSinceLast: 0 });

    now = 5000;
    answer(down());
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1][0]).toMatchObject({ suppressedSinceLast: 99 });

    // A different cause is news: logged at once.
    answer(new EventStoreUnavailableError(new Error('getaddrinfo ENOTFOUND ferretdb')));
    expect(warn).toHaveBeenCalledTimes(3);
  });
});
