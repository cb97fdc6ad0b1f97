import { BadRequestException } from '@nestjs/common';

/**
 * Page cursors: opaque to clients, but recognisable to us, so a cursor the API did not issue is a
 * 400 instead of a silently empty page. The text names what it points after (a read-model id or a
 * stream version); it is not a secret and carries no authority.
 */
type CursorKind = 'id' | 'version';
const PREFIX = 'fc1';

export function encodeCursor(kind: CursorKind, after: string | number): string {
  return Buffer.from(`${PREFIX}:${kind}:${after}`, 'utf8').toString('base64url');
}

export function decodeCursor(kind: 'id', cursor: string | undefined): string | undefined;
export function decodeCursor(kind: 'version', cursor: string | undefined): number | undefined;
export function decodeCursor(
  kind: CursorKind,
  cursor: string | undefined,
): string | number | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const head = `${PREFIX}:${kind}:`;
  const after = text.startsWith(head) ? text.slice(head.length) : '';
  const valid =
    after.length > 0 &&
    encodeCursor(kind, after) === cursor &&
    (kind === 'id' || /^\d{1,15}$/.test(after));
  if (!valid)
    throw new BadRequestException([
      'cursor is not one this API issued: pass nextCursor from the previous page unchanged',
    ]);
  return kind === 'version' ? Number(after) : after;
}
