import { Kafka, logLevel, type logCreator, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

// kafkajs 2 warns on every producer that its default partitioner changed in 2.0; we rely on the
// new (Java-compatible murmur2) one on purpose.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/** One place that turns broker config into a kafkajs client whose logs go to the service's pino. */
export function createKafka(opts: { clientId: string; brokers: string[]; logger?: Logger }): Kafka {
  const { logger } = opts;
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 12, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  });
}

/**
 * Conditions the client retries by itself (a coordinator still loading after a broker start, a
 * leader election, a rebalance): worth a warning, not an ERROR with a stack trace at every start.
 */
const RETRIABLE =
  /coordinator is loading|not the correct coordinator|coordinator is not available|leadership election|no leader for this topic-partition|rebalanc|connection error|ECONNREFUSED|broker not connected|request timed out/i;

/** kafkajs logs → the service's pino; retried conditions as warnings without a stack. */
export function kafkaLogCreator(logger: Logger | undefined): logCreator {
  return () => (entry: LogEntry) => {
    if (!logger) return;
    const { message, stack: _stack, ...rest } = entry.log as LogEntry['log'] & { stack?: string };
    const fields = { kafka: { namespace: entry.namespace, ...rest } };
    const text = `${message} ${typeof rest.error === 'string' ? rest.error : ''}`;
    const retried = 'retryCount' in rest || 'retryTime' in rest || RETRIABLE.test(text);
    if (entry.level <= logLevel.ERROR && !retried)
      logger.error({ ...fields, stack: _stack }, message);
    else if (entry.level <= logLevel.WARN) logger.warn(fields, message);
    else logger.debug(fields, message);
  };
}
