import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { DomainError } from '@legwork/domain';
import { PersistenceError } from '@legwork/persistence';
import { ApiError, STATUS_BY_CODE } from './api-error';
import { unsupportedMediaType, validationError } from './validate';

interface ErrorBody {
  error: { code: string; message: string; location?: string; field?: string };
}

/**
 * Every error leaves as `{error: {code, message, location?, field?}}` (`location` and `field` on
 * validation errors, see http/validate.ts) with a 4xx for anything the client can
 * fix; an unexpected error is a 500 with no detail (logged here, never a stack trace out).
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.describe(exception);
    if (status >= 500) this.log.error({ err: exception }, 'unhandled error');
    void reply.status(status).send(body);
  }

  private describe(e: unknown): [number, ErrorBody] {
    if (e instanceof ZodError) return this.describe(validationError(e, 'body'));
    if (e instanceof ApiError) {
      const named = e.location ? { location: e.location, field: e.field ?? '' } : e.field ? { field: e.field } : {};
      return [e.status, { error: { code: e.code, message: e.message, ...named } }];
    }
    if (e instanceof DomainError || e instanceof PersistenceError) {
      return [STATUS_BY_CODE[e.code] ?? 409, { error: { code: e.code, message: e.message } }];
    }
    // Fastify refuses a body of a type it has no parser for before any route sees it.
    if ((e instanceof HttpException ? e.getStatus() : (e as { statusCode?: unknown })?.statusCode) === 415) return this.describe(unsupportedMediaType());
    if (e instanceof HttpException) return [e.getStatus(), { error: { code: httpCode(e.getStatus()), message: e.message } }];
    const fastify = e as { statusCode?: number; code?: string; message?: string; error?: { code?: unknown; message?: unknown } };
    // @fastify/rate-limit throws the body built in http/rate-limit.ts: already in the API's shape.
    if (fastify?.statusCode === 429 && typeof fastify.error?.code === 'string' && typeof fastify.error.message === 'string') {
      return [429, { error: { code: fastify.error.code, message: fastify.error.message } }];
    }
    if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      // Fastify's own messages can quote the request (a parser error's offending text): a fixed sentence instead.
      return [fastify.statusCode, { error: { code: httpCode(fastify.statusCode), message: HTTP_MESSAGES[fastify.statusCode] ?? 'the request was refused' } }];
    }
    return [500, { error: { code: 'INTERNAL', message: 'internal error' } }];
  }
}

const HTTP_MESSAGES: Record<number, string> = {
  400: 'the request body is not valid JSON',
  413: 'the request body is too large',
};

function httpCode(status: number): string {
  switch (status) {
    case 400:
      return 'REQUEST.MALFORMED';
    case 401:
      return 'AUTH.UNAUTHENTICATED';
    case 403:
      return 'AUTH.FORBIDDEN';
    case 404:
      return 'REQUEST.NOT_FOUND';
    case 413:
      return 'REQUEST.TOO_LARGE';
    case 415:
      return 'REQUEST.UNSUPPORTED_MEDIA_TYPE';
    default:
      return `HTTP.${status}`;
  }
}
