import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions, RawRequestDefaultExpression } from 'fastify';
import type { Logger } from 'pino';
import { runInRequest } from '../request-context';

/** A caller's `X-Request-Id` is kept when it is this plain (a UUID, a ULID, a trace id…); anything else is replaced. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** `X-Request-Id` of the request when acceptable (see {@link ACCEPTED_REQUEST_ID}), else a new UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTED_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Fastify's own request logging (pino: one `incoming request` and one `request completed` line per
 * request, with method, URL, status and response time; no header is logged, so no token) on the
 * service's logger, each line carrying `requestId`: the caller's `X-Request-Id` when acceptable,
 * else a new UUID.
 */
export function requestLoggingOptions(
  log: Logger,
): Pick<FastifyServerOptions, 'loggerInstance' | 'genReqId' | 'requestIdHeader' | 'requestIdLogLabel'> {
  return {
    loggerInstance: log,
    requestIdHeader: false,
    requestIdLogLabel: 'requestId',
    genReqId: (req: RawRequestDefaultExpression) => requestIdOf(req.headers['x-request-id']),
  };
}

/**
 * Returns the request id as `X-Request-Id` on every answer (errors included) and makes the
 * request the current one for the gateway's use cases (`currentRequest`).
 */
export function exposeRequestId(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    runInRequest({ requestId: request.id, log: request.log as unknown as Logger }, done);
  });
}
