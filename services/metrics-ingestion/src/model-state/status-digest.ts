import { createHash } from 'node:crypto';

/**
 * What a model remembers of the last status it emitted, to send the next one only on a change: a
 * SHA-1 of its JSON (28 characters) instead of the ~500-character text, which was the largest
 * string a model held. A collision would only delay one status to the next
 * change.
 */
export function statusDigest(statusJson: string): string {
  return createHash('sha1').update(statusJson).digest('base64');
}
