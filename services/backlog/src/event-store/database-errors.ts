import { EventStoreUnavailableError } from './event-store.types';

/**
 * How a database failure is told apart from a refusal: shared by the event store, the read-model
 * repositories and the API's problem mapping (503 instead of 500).
 */
/** Connection-level failures become one typed error the API maps to 503. */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailable(error)) throw new EventStoreUnavailableError(error);
    throw error;
  }
}

/** Codes MongoDB (and FerretDB) use while a server is shutting down, stepping down or unreachable. */
const UNAVAILABLE_CODES = new Set([
  6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436,
]);

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & {
    code?: unknown;
    errorLabels?: unknown;
    errorLabelSet?: Set<string>;
    cause?: unknown;
  };
  if (typeof e.code === 'number' && UNAVAILABLE_CODES.has(e.code)) return true;
  const labels = e.errorLabelSet
    ? [...e.errorLabelSet]
    : Array.isArray(e.errorLabels)
      ? (e.errorLabels as string[])
      : [];
  if (
    labels.some((l) =>
      [
        'RetryableWriteError',
        'ResetPool',
        'TransientTransactionError',
        'SystemOverloadedError',
      ].includes(l),
    )
  )
    return true;
  if (
    /MongoNetwork|MongoServerSelection|MongoNotConnected|MongoServerClosed|PoolCleared|MongoTopologyClosed|MongoExpiredSession/.test(
      e.name,
    )
  )
    return true;
  if (
    /ECONNREFUSED|ECONNRESET|EPIPE|socket|connection.*(closed|reset|refused)|shutting down|interrupted at shutdown|not connected|server selection/i.test(
      e.message,
    )
  )
    return true;
  return e.cause !== undefined && e.cause !== error && isUnavailable(e.cause);
}
