import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * patches/mongodb+6.20.0.patch (applied by `npm ci` through patch-package): the driver waited for
 * 'drain' after writing to a socket that was already destroyed — it never drains and never errors,
 * so the command hung forever. When that command is the monitor's heartbeat, the server stays
 * Unknown and every operation fails server selection long after the database is back (seen as a
 * backlog answering 503 for minutes after a FerretDB restart; test/faults/database-restart).
 * This drives the driver's own Connection class against a plain TCP peer: no database needed.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Connection } = require('mongodb/lib/cmap/connection') as {
  Connection: new (
    socket: Socket,
    options: Record<string, unknown>,
  ) => {
    command(ns: unknown, cmd: object, options?: object): Promise<unknown>;
  };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ns } = require('mongodb/lib/utils') as { ns: (s: string) => unknown };

describe('mongodb driver patch: a command on a destroyed socket fails instead of hanging', () => {
  let server: Server;
  beforeAll(async () => {
    server = createServer((s) => s.on('error', () => undefined)).listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => server.close());

  it('rejects with a network error', async () => {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    const connection = new Connection(socket, { id: 1, generation: 0, hostAddress: undefined });
    // Destroyed, and its 'close' event not delivered yet: the window a heartbeat fell into.
    socket.destroy();
    const outcome = await Promise.race([
      connection.command(ns('admin.$cmd'), { ping: 1 }).then(
        () => 'answered',
        (error: Error) => error.name,
      ),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 2_000).unref()),
    ]);
    expect(outcome).toBe('MongoNetworkError');
  });
});
