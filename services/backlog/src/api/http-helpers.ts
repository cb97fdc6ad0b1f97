import { BadRequestException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { CommandOptions } from '../application/command-handler';
import type { Principal } from './api-key.guard';

/** `ETag: "<version>"`; If-Match accepts `"n"`, `W/"n"` or a bare number. */
export function setEtag(response: Response, version: number): void {
  response.setHeader('ETag', `"${version}"`);
}

export function ifMatchVersion(request: Request): number | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined || raw === '*') return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(raw).trim());
  if (!m)
    throw new BadRequestException(['If-Match must be an ETag returned by this API, like "3"']);
  return Number(m[1]);
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
    ifMatch: ifMatchVersion(request),
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
