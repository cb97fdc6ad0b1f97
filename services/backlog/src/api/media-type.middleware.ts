import { HttpException, HttpStatus, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const WRITES = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * A write whose body is not JSON is refused as 415 before validation: otherwise a JSON body sent
 * as text/plain is never parsed and the client reads "every field is missing" instead of the cause.
 * A write without a body (open, close) needs no Content-Type.
 */
@Injectable()
export class MediaTypeMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    if (!WRITES.has(request.method)) return next();
    const length = Number(request.headers['content-length'] ?? 0);
    const hasBody = length > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return next();
    const type = request.headers['content-type'];
    if (type === undefined || !JSON_TYPE.test(type))
      throw new HttpException(
        `the request body must be application/json; got ${type === undefined ? 'no Content-Type' : JSON.stringify(type.slice(0, 100))}`,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      );
    next();
  }
}
