import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiError } from '../http/api-error';
import type { AuthenticatedRequest } from './bearer.guard';

/** After {@link BearerGuard}: only a token with the operator role passes (403 otherwise). */
@Injectable()
export class OperatorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.principal?.role !== 'operator') throw new ApiError('AUTH.FORBIDDEN', 'this endpoint needs an operator token');
    return true;
  }
}
