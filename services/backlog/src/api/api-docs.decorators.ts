import { applyDecorators, NotFoundException, type Type } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiResponse } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ITEM_ID_DESCRIPTION, ITEM_ID_PATTERN } from '../domain/items/item-id';

/** Response headers a client can rely on, described once for every operation that sends them. */
const ETAG: HeadersObject = {
  ETag: {
    description:
      'The resource version as a strong entity tag, e.g. "3". Send it back in If-Match to change exactly this version.',
    schema: { type: 'string', example: '"3"' },
  },
};
const LOCATION = (what: string): HeadersObject => ({
  Location: {
    description: `Path of the ${what}`,
    schema: { type: 'string', format: 'uri-reference' },
  },
});
const REPLAYED: HeadersObject = {
  'Idempotent-Replayed': {
    description:
      '"true" when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
};

/** 200 with a versioned resource: body + ETag. */
export function ApiVersioned(type: Type<unknown>, description = 'The resource at its new version') {
  return ApiResponse({ status: 200, type, description, headers: ETAG });
}

/** 201 (created, with Location) or 200 (replayed for the same Idempotency-Key). */
export function ApiCreatedVersioned(type: Type<unknown>, what: string) {
  return applyDecorators(
    ApiResponse({
      status: 201,
      type,
      description: `Created; Location names the new ${what}`,
      headers: { ...ETAG, ...LOCATION(what) },
    }),
    ApiResponse({
      status: 200,
      type,
      description: 'Replayed: the original answer to this Idempotency-Key',
      headers: { ...ETAG, ...LOCATION(what), ...REPLAYED },
    }),
  );
}

/** 202 with Location of the job to follow. */
export function ApiAccepted(type: Type<unknown>, what: string) {
  return ApiResponse({
    status: 202,
    type,
    description: `Accepted; follow Location`,
    headers: LOCATION(what),
  });
}

export function ApiIfMatch() {
  return ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'Entity tag(s) from ETag, quoted as sent (e.g. "3"). The command applies only if the resource is at that version; otherwise 412. Weak tags (W/"3") never match (RFC 9110 strong comparison); an unquoted value is a 400.',
    schema: { type: 'string', example: '"3"' },
  });
}

export function ApiIdempotencyKey() {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Any 8–128 characters of letters, digits, _ . : -; a retry with the same key and body gets the original answer (and Idempotent-Replayed: true), with another body 422',
    schema: { type: 'string', pattern: '^[\\w.:-]{8,128}$' },
  });
}

export function ApiItemIdParam() {
  return ApiParam({
    name: 'id',
    description: ITEM_ID_DESCRIPTION,
    schema: { type: 'string', pattern: ITEM_ID_PATTERN },
  });
}

export function ApiCeremonyIdParam() {
  return ApiParam({
    name: 'id',
    description: 'Ceremony id (UUID)',
    schema: { type: 'string', format: 'uuid' },
  });
}

const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** The telemetry contract's modelId: one definition for the models routes. */
export function ApiModelIdParam() {
  return ApiParam({
    name: 'modelId',
    description: 'The modelId telemetry uses',
    schema: { type: 'string', pattern: MODEL_ID.source },
  });
}

/** A modelId the telemetry contract could not carry names no model: 404, like an unknown one. */
export function checkModelId(modelId: string): string {
  if (!MODEL_ID.test(modelId)) throw new NotFoundException(`no model ${modelId.slice(0, 128)}`);
  return modelId;
}
