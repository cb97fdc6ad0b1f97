import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { BACKLOG_CONFIG, type BacklogConfig, type Role } from '../config/backlog.config';

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };
export const REQUIRED_ROLE = 'fulcrum:required-role';

/** Overrides the default role of a route (reads need viewer, writes editor). */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

export interface Principal {
  name: string;
  role: Role;
}

/**
 * API keys (`X-API-Key` or `Authorization: Bearer`), compared in constant time against SHA-256
 * digests of every configured key, so neither timing nor an early exit reveals which one is close.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: { digest: Buffer; name: string; role: Role }[];

  constructor(
    @Inject(BACKLOG_CONFIG) config: BacklogConfig,
    private readonly reflector: Reflector,
  ) {
    this.keys = config.apiKeys.map((k) => ({
      digest: sha256(k.secret),
      name: k.name,
      role: k.role,
    }));
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (!request.path.startsWith('/api/')) return true;
    const presented = presentedKey(request);
    if (!presented)
      throw new UnauthorizedException(
        'an API key is required (X-API-Key header or Authorization: Bearer)',
      );
    const digest = sha256(presented);
    let match: { name: string; role: Role } | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, digest) && !match) match = key;
    }
    if (!match) throw new UnauthorizedException('the API key is not valid');
    const required =
      this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? (['GET', 'HEAD', 'OPTIONS'].includes(request.method) ? 'viewer' : 'editor');
    if (RANK[match.role] < RANK[required])
      throw new ForbiddenException(
        `this operation needs the ${required} role; the key has ${match.role}`,
      );
    request.principal = { name: match.name, role: match.role };
    return true;
  }
}

function presentedKey(request: Request): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return undefined;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
