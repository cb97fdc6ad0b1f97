import { createHash } from 'node:crypto';

/**
 * The namespace of every Fulcrum id: the UUIDv5 of the name `fulcrum.reliability/v1` in the RFC's
 * URL namespace. Published so that a consumer in any language can recompute an id from its inputs.
 */
export const FULCRUM_ID_NAMESPACE = 'dde0a1d6-776f-5a95-a3df-88ebbc0f393e';

const NAMESPACE_BYTES = Buffer.from(FULCRUM_ID_NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * An RFC 9562 version-5 UUID in `FULCRUM_ID_NAMESPACE` whose name is the parts as text, joined by
 * U+0000 (a character no id, rule or timestamp contains, so different part lists never collide).
 * The same parts always give the same id, which is what makes replays and crash-reprocessing emit
 * identical event ids.
 */
export function deterministicId(...parts: (string | number)[]): string {
  const b = createHash('sha1')
    .update(NAMESPACE_BYTES)
    .update(parts.map(String).join('\u0000'), 'utf8')
    .digest();
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
