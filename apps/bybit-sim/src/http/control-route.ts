// The plumbing of the control API's routes: JSON bodies, query strings, and one mapping of
// errors to HTTP statuses — 400 a body that does not validate (or a Bybit 10001), 404 an
// unknown account, 409 a taken key or an exchange rule refusing the change (retCode given).
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountExistsError, UnknownAccountError } from '../engine/accounts';
import { BybitError, RetCode } from '../engine/errors';
import { ControlInputError } from './control-parse';
import { parseJsonBody } from './v5-route';

/** A control handler: a status and a JSON body. */
export type ControlHandler = (request: FastifyRequest) => { status: number; body: unknown };

/** Registers one control route with the shared error mapping. */
export function controlRoute(app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', url: string, handler: ControlHandler): void {
  app.route({
    method,
    url,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const { status, body } = handler(request);
        return reply.code(status).send(body);
      } catch (error) {
        if (error instanceof ControlInputError) return reply.code(400).send({ error: error.message });
        if (error instanceof UnknownAccountError) return reply.code(404).send({ error: error.message });
        if (error instanceof AccountExistsError) return reply.code(409).send({ error: error.message });
        if (error instanceof BybitError) {
          const status = error.retCode === RetCode.PARAMS_ERROR ? 400 : 409;
          return reply.code(status).send({ error: error.retMsg, retCode: error.retCode, retMsg: error.retMsg });
        }
        throw error;
      }
    },
  });
}

/** The parsed JSON body. @throws ControlInputError when it is not JSON */
export function controlBody(request: FastifyRequest): unknown {
  const parsed = parseJsonBody(request.body);
  if (parsed === undefined) throw new ControlInputError('body is not valid JSON');
  return parsed;
}

/** The string query parameters. */
export function controlQuery(request: FastifyRequest): Record<string, string> {
  const raw = request.query;
  if (typeof raw !== 'object' || raw === null) return {};
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
