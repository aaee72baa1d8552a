import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IdentityRepository, Principal } from '@legwork/persistence';
import { ApiError } from '../http/api-error';

export type AuthenticatedRequest = FastifyRequest & { principal: Principal };

/** Requires `Authorization: Bearer <token>` naming a valid, unrevoked token (stored as SHA-256). */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(private readonly identity: IdentityRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_\-.~+/]{16,256}=*)$/.exec(header);
    if (!match?.[1]) throw new ApiError('AUTH.UNAUTHENTICATED', 'a valid bearer token is required');
    const principal = await this.identity.authenticate(match[1]);
    if (!principal) throw new ApiError('AUTH.UNAUTHENTICATED', 'a valid bearer token is required');
    request.principal = principal;
    return true;
  }
}
