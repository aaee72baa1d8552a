import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { DomainError, DomainErrorCode } from '@legwork/domain';
import { PersistenceError, PersistenceErrorCode } from '@legwork/persistence';
import { ApplicationError, GatewayErrorCode } from '../errors/application-error';
import { ApiError, HttpErrorCode } from './api-error';
import { unsupportedMediaType, validationError } from './validate';

/** Every code the API can answer with, whoever decided it. */
export type ErrorCode = DomainErrorCode | PersistenceErrorCode | GatewayErrorCode | HttpErrorCode;

/**
 * THE one place that maps an error code to an HTTP status. Exhaustive by type: a new code in any
 * area's list fails the build until it is given a status here. 409 for a refusal of what the
 * stored state allows, 404 for what the caller cannot see, 400 for what the caller must change,
 * 503 when the service the answer needs (the executor) did not answer in time.
 */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  // HTTP layer (http/api-error.ts)
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.FORBIDDEN': 403,
  'VALIDATION.INVALID_FIELD': 400,
  'REQUEST.MALFORMED': 400,
  'REQUEST.NOT_FOUND': 404,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 415,
  RATE_LIMITED: 429,
  'EVENTS.TOO_MANY_STREAMS': 429,
  INTERNAL: 500,
  // Gateway use cases (errors/application-error.ts)
  'INDEX.NOT_FOUND': 404,
  'ACCOUNT.NOT_FOUND': 404,
  'ACCOUNT.NONE': 400,
  'ACCOUNT.AMBIGUOUS': 400,
  'POSITION.NOT_FOUND': 404,
  'POSITION.NOT_ACTIVE': 409,
  'POSITION.NOT_CLOSABLE': 409,
  'POSITION.NOT_ROLLBACKABLE': 409,
  'POSITION.OPPOSITE_DIRECTION_ONE_WAY': 409,
  'RESTORE.PLAN_NOT_FOUND': 404,
  'RESTORE.PLAN_STALE': 409,
  'SCAN.RUN_NOT_FOUND': 404,
  // The orphan monitor gave the run up (its database unreachable through every retry): try again later.
  'SCAN.RUN_FAILED': 503,
  'EXECUTOR.UNAVAILABLE': 503,
  // Persistence (libs/persistence/src/persistence-error.ts)
  'IDEMPOTENCY.KEY_REUSED': 409,
  'POSITION.BUSY': 409,
  'POSITION.LEASE_LOST': 409,
  'RESTORE.PLAN_USED': 409,
  'RESTORE.PLAN_EXPIRED': 409,
  'INDEX.NAME_TAKEN': 409,
  'USER.NOT_FOUND': 404,
  'USER.EMAIL_TAKEN': 409,
  'TOKEN.NOT_FOUND': 409,
  'ACCOUNT.DUPLICATE_KEY': 409,
  // Domain (libs/domain/src/errors/error-codes.ts): 409, the status every domain code without an
  // entry had before this map was exhaustive (issue 12 changed no answer).
  'POSITION.ILLEGAL_TRANSITION': 409,
  'POSITION.VERSION_CONFLICT': 409,
  'LEG.ILLEGAL_TRANSITION': 409,
  'LEG.NOT_FOUND': 409,
  'LEG.STATUS_CONFLICT': 409,
  'COMPOSITION.INVALID_INPUT': 409,
  'COMPOSITION.INSTRUMENT_NOT_LISTED': 409,
  'COMPOSITION.INSTRUMENT_NOT_TRADING': 409,
  'COMPOSITION.LEG_VIOLATES_LOT_SIZE': 409,
  'INDEX.NO_COMPONENTS': 409,
  'INDEX.SYMBOL_NOT_LISTED': 409,
  'INDEX.SYMBOL_NOT_TRADING': 409,
  'INDEX.DUPLICATE_SYMBOL': 409,
  'INDEX.WEIGHT_NOT_POSITIVE': 409,
  'INDEX.WEIGHTS_NOT_100': 409,
  'RECONCILIATION.INVALID_INPUT': 409,
  'RECONCILIATION.CONFLICTING_REPORTS': 409,
  'ORPHANS.INVALID_INPUT': 409,
  'ORPHANS.STALE_SCAN': 409,
  'PNL.INVALID_INPUT': 409,
  'FUNDING.INVALID_INPUT': 409,
};

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
      return [STATUS_BY_CODE[e.code], { error: { code: e.code, message: e.message, ...named } }];
    }
    if (e instanceof ApplicationError) {
      return [STATUS_BY_CODE[e.code], { error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } }];
    }
    if (e instanceof DomainError || e instanceof PersistenceError) {
      return [STATUS_BY_CODE[e.code], { error: { code: e.code, message: e.message } }];
    }
    // Fastify refuses a body of a type it has no parser for before any route sees it.
    if ((e instanceof HttpException ? e.getStatus() : (e as { statusCode?: unknown })?.statusCode) === 415)
      return this.describe(unsupportedMediaType());
    if (e instanceof HttpException) return [e.getStatus(), { error: { code: httpCode(e.getStatus()), message: e.message } }];
    const fastify = e as { statusCode?: number; code?: string; message?: string; error?: { code?: unknown; message?: unknown } };
    // @fastify/rate-limit throws the body built in http/rate-limit.ts: already in the API's shape.
    if (fastify?.statusCode === 429 && typeof fastify.error?.code === 'string' && typeof fastify.error.message === 'string') {
      return [429, { error: { code: fastify.error.code, message: fastify.error.message } }];
    }
    if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      // Fastify's own messages can quote the request (a parser error's offending text): a fixed sentence instead.
      return [
        fastify.statusCode,
        { error: { code: httpCode(fastify.statusCode), message: HTTP_MESSAGES[fastify.statusCode] ?? 'the request was refused' } },
      ];
    }
    return [STATUS_BY_CODE.INTERNAL, { error: { code: 'INTERNAL', message: 'internal error' } }];
  }
}

const HTTP_MESSAGES: Record<number, string> = {
  400: 'the request body is not valid JSON',
  413: 'the request body is too large',
};

/** The code of an error Nest or Fastify raised with only a status (the reverse of {@link STATUS_BY_CODE}). */
function httpCode(status: number): HttpErrorCode | `HTTP.${number}` {
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
