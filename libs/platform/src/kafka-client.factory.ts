import { Kafka, logLevel, type LogEntry } from 'kafkajs';
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
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...rest } = entry.log;
      const fields = { kafka: { namespace: entry.namespace, ...rest } };
      if (entry.level <= logLevel.ERROR) logger.error(fields, message);
      else if (entry.level === logLevel.WARN) logger.warn(fields, message);
      else logger.debug(fields, message);
    },
  });
}
