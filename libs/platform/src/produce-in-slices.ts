import type { Message, Producer } from 'kafkajs';

/**
 * Kafka refuses a record batch over the broker's `message.max.bytes` (1 MiB by default) with a
 * non-retriable error, and kafkajs puts everything one `send` has for a partition into one batch.
 * Slices of at most this many bytes stay well under the limit whatever the broker's overhead.
 */
export const SLICE_BYTES = 512 * 1024;

type Bytes = Buffer | string | (Buffer | string)[] | null | undefined;

function len(v: Bytes): number {
  if (v === null || v === undefined) return 0;
  if (Array.isArray(v)) return v.reduce((sum, x) => sum + len(x), 0);
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

/** An upper bound of a message's size in a record batch (key, value, headers, record overhead). */
export function messageBytes(m: Message): number {
  let bytes = 64 + len(m.key) + len(m.value);
  for (const [k, v] of Object.entries(m.headers ?? {})) bytes += k.length + len(v);
  return bytes;
}

/** Splits messages, in order, into consecutive slices of at most `maxBytes` (a bigger message alone). */
export function sliceMessages(messages: Message[], maxBytes = SLICE_BYTES): Message[][] {
  const slices: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = messageBytes(m);
    if (current.length > 0 && bytes + size > maxBytes) {
      slices.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) slices.push(current);
  return slices;
}

/** Sends in order, one slice after another, each acknowledged by all in-sync replicas. */
export async function produceInSlices(
  producer: Producer,
  topic: string,
  messages: Message[],
  maxBytes = SLICE_BYTES,
): Promise<void> {
  for (const slice of sliceMessages(messages, maxBytes))
    await producer.send({ topic, acks: -1, messages: slice });
}
