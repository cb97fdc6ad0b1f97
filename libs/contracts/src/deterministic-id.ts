import { createHash } from 'node:crypto';

const NAMESPACE = 'fulcrum.reliability/v1';

/**
 * A name-based UUID (version 5 layout over SHA-1) of its parts. The same parts always give the same
 * id, which is what makes replays and crash-reprocessing emit identical event ids.
 */
export function deterministicId(...parts: (string | number)[]): string {
  const hash = createHash('sha1').update(NAMESPACE);
  for (const part of parts) hash.update('\u0000').update(String(part));
  const b = hash.digest();
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
