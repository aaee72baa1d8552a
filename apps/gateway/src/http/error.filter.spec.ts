import type { ArgumentsHost } from '@nestjs/common';
import pino from 'pino';
import { DOMAIN_ERROR_CODES, DomainError } from '@legwork/domain';
import { PERSISTENCE_ERROR_CODES, PersistenceError } from '@legwork/persistence';
import { ApplicationError, GATEWAY_ERROR_CODES } from '../errors/application-error';
import { ApiError, HTTP_ERROR_CODES } from './api-error';
import { ApiErrorFilter, ErrorCode, STATUS_BY_CODE } from './error.filter';

/** What the filter sent: status and the exact serialised body. */
function answer(error: unknown): { status: number; body: string } {
  const sent = { status: 0, body: '' };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    send(body: unknown) {
      sent.body = JSON.stringify(body);
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new ApiErrorFilter(pino({ level: 'silent' })).catch(error, host);
  return sent;
}

describe('STATUS_BY_CODE', () => {
  const everyCode: readonly ErrorCode[] = [...HTTP_ERROR_CODES, ...GATEWAY_ERROR_CODES, ...PERSISTENCE_ERROR_CODES, ...DOMAIN_ERROR_CODES];

  it('gives every code of every area a 4xx or 5xx status, and holds no other key', () => {
    for (const code of everyCode) expect([code, STATUS_BY_CODE[code]]).toEqual([code, expect.any(Number)]);
    for (const code of everyCode) expect(STATUS_BY_CODE[code] >= 400 && STATUS_BY_CODE[code] < 600).toBe(true);
    expect(Object.keys(STATUS_BY_CODE).sort()).toEqual([...new Set(everyCode)].sort());
  });

  it('keeps the statuses clients rely on', () => {
    expect(STATUS_BY_CODE['POSITION.NOT_FOUND']).toBe(404);
    expect(STATUS_BY_CODE['ACCOUNT.AMBIGUOUS']).toBe(400);
    expect(STATUS_BY_CODE['IDEMPOTENCY.KEY_REUSED']).toBe(409);
    expect(STATUS_BY_CODE['VALIDATION.INVALID_FIELD']).toBe(400);
    expect(STATUS_BY_CODE['AUTH.UNAUTHENTICATED']).toBe(401);
  });
});

describe('ApiErrorFilter', () => {
  it('answers a use case refusal with the mapped status and {code, message, field?}', () => {
    expect(answer(new ApplicationError('INDEX.NOT_FOUND', 'index x does not exist', 'indexId'))).toEqual({
      status: 404,
      body: '{"error":{"code":"INDEX.NOT_FOUND","message":"index x does not exist","field":"indexId"}}',
    });
    expect(answer(new ApplicationError('POSITION.NOT_CLOSABLE', 'only an ACTIVE position can be closed; this one is FAILED'))).toEqual({
      status: 409,
      body: '{"error":{"code":"POSITION.NOT_CLOSABLE","message":"only an ACTIVE position can be closed; this one is FAILED"}}',
    });
  });

  it('names location before field on a validation error', () => {
    expect(answer(new ApiError('VALIDATION.INVALID_FIELD', 'limit: too big', 'limit', 'query'))).toEqual({
      status: 400,
      body: '{"error":{"code":"VALIDATION.INVALID_FIELD","message":"limit: too big","location":"query","field":"limit"}}',
    });
  });

  it('maps domain and persistence codes through the same map, and anything else to a bare 500', () => {
    expect(answer(new PersistenceError('USER.NOT_FOUND', 'user u does not exist')).status).toBe(404);
    expect(answer(new DomainError('INDEX.WEIGHTS_NOT_100', 'weights sum to 90')).status).toBe(409);
    expect(answer(new Error('boom'))).toEqual({ status: 500, body: '{"error":{"code":"INTERNAL","message":"internal error"}}' });
  });
});
