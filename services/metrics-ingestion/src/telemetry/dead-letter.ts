import { DLQ_HEADERS, type Rejection } from '@fulcrum/contracts';
import type { KafkaMessage, Message } from 'kafkajs';

/**
 * The dead-letter copy of a refused record: original key and value bytes untouched, original headers
 * kept, and why it was refused and where it came from in headers.
 */
export function deadLetter(
  message: KafkaMessage,
  source: { topic: string; partition: number },
  rejection: Rejection,
  failedAt: Date,
): Message {
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...(message.headers ?? {}),
      [DLQ_HEADERS.reasonCode]: rejection.code,
      [DLQ_HEADERS.reason]: rejection.message,
      [DLQ_HEADERS.field]: rejection.field,
      [DLQ_HEADERS.sourceTopic]: source.topic,
      [DLQ_HEADERS.sourcePartition]: String(source.partition),
      [DLQ_HEADERS.sourceOffset]: message.offset,
      [DLQ_HEADERS.failedAt]: failedAt.toISOString(),
    },
  };
}
