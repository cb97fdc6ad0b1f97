import { BadRequestException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { CommandOptions } from '../application/command-handler';
import type { RecordedEvent } from '../event-store/event-store.types';
import type { Principal } from './api-key.guard';

/** `ETag: "<version>"`: a strong entity tag whose value is the stream version. */
export function setEtag(response: Response, version: number): void {
  response.setHeader('ETag', `"${version}"`);
}

const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/**
 * If-Match as RFC 9110 §13.1.1 defines it: `*` or a list of entity tags, compared strongly. So a
 * weak tag (`W/"3"`) never matches and a tag this API did not issue (`"abc"`) matches no version:
 * both end in 412. A value that is not an entity tag at all — an unquoted `3` — is a malformed
 * header, refused with 400 rather than guessed at. Returns the versions that would match.
 */
export function ifMatchVersions(request: Request): readonly number[] | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined) return undefined;
  const value = String(raw).trim();
  if (value === '*') return undefined;
  const versions: number[] = [];
  for (const tag of value.split(',').map((t) => t.trim())) {
    const m = ENTITY_TAG.exec(tag);
    if (!m)
      throw new BadRequestException([
        `If-Match must be "*" or entity tags in double quotes as ETag sends them, like "3"; got ${JSON.stringify(tag.slice(0, 40))}`,
      ]);
    if (!m[1] && /^\d{1,15}$/.test(m[2])) versions.push(Number(m[2]));
  }
  return versions;
}

const IDEMPOTENCY_KEY = /^[\w.:-]{8,128}$/;

/** Actor (from the API key, never the body), If-Match, Idempotency-Key and a request fingerprint. */
export function commandOptions(
  request: Request & { principal?: Principal },
  body: unknown,
): CommandOptions {
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
    throw new BadRequestException([
      'Idempotency-Key must be 8-128 characters of letters, digits, _ . : -',
    ]);
  }
  return {
    actor: request.principal?.name ?? 'anonymous',
    ifMatch: ifMatchVersions(request),
    idempotencyKey: key ? `${request.principal?.name ?? ''}:${key}` : undefined,
    requestHash: createHash('sha256')
      .update(`${request.method} ${request.path} ${JSON.stringify(body ?? null)}`)
      .digest('hex'),
  };
}

export function parseAsOf(asOf: string | undefined): Date | undefined {
  if (asOf === undefined) return undefined;
  const t = Date.parse(asOf);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(asOf))
    throw new BadRequestException(['asOf must be an ISO-8601 date-time']);
  return new Date(t);
}

/** A stored event as the history endpoints show it (items and model profiles alike). */
export function recordedEventView(e: RecordedEvent) {
  return {
    version: e.version,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    actor: e.actor,
    recordedAt: e.recordedAt,
    data: e.data,
  };
}
