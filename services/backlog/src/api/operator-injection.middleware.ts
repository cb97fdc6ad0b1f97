import { BadRequestException, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Refuses any body or query key that MongoDB could read as an operator (`$…`) or a path (`a.b`),
 * at any depth, before validation or persistence sees it.
 */
@Injectable()
export class OperatorInjectionMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const bad = findOperatorKey(request.body, 'body') ?? findOperatorKey(request.query, 'query');
    if (bad)
      throw new BadRequestException([
        `${bad} is not allowed: keys may not start with $ or contain a dot`,
      ]);
    next();
  }
}

export function findOperatorKey(value: unknown, path: string, depth = 0): string | undefined {
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith('$') || key.includes('.')) return `${path}.${key}`;
    const found = findOperatorKey(inner, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}
