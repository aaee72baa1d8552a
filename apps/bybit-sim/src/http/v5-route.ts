// The plumbing every /v5 endpoint shares: raw-body capture (the signature covers the exact
// bytes), HMAC authentication of private endpoints, the request log, BybitError → envelope,
// the non-envelope outcomes faults need (bare HTTP errors, hanging requests), and the simulated
// network latency: the request leg is waited before the exchange reads its clock, the response
// leg before the answer leaves (engine/latency.ts).
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BybitError } from '../engine/errors';
import { Exchange } from '../engine/exchange';
import { waitMs } from '../engine/latency';
import { authenticate, readAuthHeaders } from './auth';
import { Envelope, failure } from './envelope';
import { Hangs } from './hangs';
import { Params, parseQuery } from './params';
import { RequestLog, RequestLogEntry, RequestLogOrder } from './request-log';

/** What the /v5 routes share. */
export interface SimContext {
  readonly exchange: Exchange;
  readonly requestLog: RequestLog;
  readonly hangs: Hangs;
  /** Epoch ms; injectable so tests can run the HTTP layer on a fixed clock. */
  readonly clock: () => number;
}

/** A decoded /v5 request. */
export interface V5Request {
  readonly now: number;
  /** Query parameters of a GET, the JSON body of a POST. */
  readonly params: Params;
  /**
   * The authenticated account's identity key (the key it was created with, which faults and
   * the control API use); "" on public endpoints.
   */
  readonly apiKey: string;
  /** The key the request was signed with (differs from apiKey after a key was added). */
  readonly keyUsed: string;
  readonly log: RequestLogEntry;
}

/** How to answer: an envelope, a bare HTTP error page, or no answer at all. */
export type V5Outcome =
  | { readonly kind: 'json'; readonly envelope: Envelope; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'http'; readonly status: number; readonly fault: string }
  | { readonly kind: 'hang'; readonly hangMs: number; readonly fault: string };

export type V5Handler = (request: V5Request) => V5Outcome;

/** Wraps an envelope as an outcome. */
export function json(envelope: Envelope): V5Outcome {
  return { kind: 'json', envelope };
}

/** Stores raw JSON bodies as strings; the signature check needs the bytes as sent. */
export function registerRawJsonBody(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}

/** Parses a raw JSON body captured by {@link registerRawJsonBody}. @returns undefined when not JSON */
export function parseJsonBody(body: unknown): unknown {
  if (typeof body !== 'string' || body.trim() === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

function orderFields(params: Params): RequestLogOrder {
  const reduceOnly = params['reduceOnly'];
  return {
    symbol: text(params['symbol']),
    side: text(params['side']),
    qty: text(params['qty']),
    orderLinkId: text(params['orderLinkId']),
    reduceOnly: reduceOnly === undefined ? null : reduceOnly === true || reduceOnly === 'true',
    positionIdx: params['positionIdx'] === undefined ? null : Number(params['positionIdx']),
  };
}

/**
 * Registers a /v5 endpoint.
 *
 * @param access "private" endpoints require valid X-BAPI-* headers (errors 10002/10003/10004)
 */
export function v5Route(
  app: FastifyInstance,
  context: SimContext,
  method: 'GET' | 'POST',
  url: string,
  access: 'public' | 'private',
  handler: V5Handler,
): void {
  app.route({
    method,
    url,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      // Latency follows the account a key names (known or not yet authenticated); public calls the global setting.
      const headers = readAuthHeaders(request.headers);
      const legs = context.exchange.latency.drawLegs(
        headers.apiKey === undefined ? undefined : context.exchange.accounts.find(headers.apiKey)?.apiKey,
      );
      await waitMs(legs.requestMs);
      const now = context.clock();
      const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const rawBody = typeof request.body === 'string' ? request.body : '';
      const parsed = method === 'POST' ? parseJsonBody(rawBody) : parseQuery(rawQuery);
      const params: Params = isRecord(parsed) ? parsed : {};
      const batch = params['request'];
      const log = context.requestLog.record({
        time: now,
        method,
        path: url,
        apiKey: access === 'private' ? (headers.apiKey ?? null) : null,
        ...orderFields(params),
        orders: Array.isArray(batch) ? batch.map((entry: unknown) => orderFields(isRecord(entry) ? entry : {})) : null,
      });
      let outcome: V5Outcome;
      try {
        if (parsed === undefined) throw BybitError.params('request body is not valid JSON');
        const keyUsed =
          access === 'private'
            ? authenticate(headers, method === 'POST' ? rawBody : rawQuery, now, (key) => context.exchange.accounts.secretOf(key))
            : '';
        const apiKey = keyUsed === '' ? '' : context.exchange.accounts.get(keyUsed).apiKey;
        outcome = handler({ now, params, apiKey, keyUsed, log });
      } catch (error) {
        if (!(error instanceof BybitError)) {
          // A simulator bug: Fastify answers 500; the log shows it instead of a pending entry.
          log.httpStatus = 500;
          throw error;
        }
        outcome = json(failure(error.retCode, error.retMsg, now));
      }
      if (outcome.kind !== 'hang') await waitMs(legs.responseMs);
      return answer(context, request, reply, outcome, log);
    },
  });
}

async function answer(
  context: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: V5Outcome,
  log: RequestLogEntry,
): Promise<FastifyReply | undefined> {
  switch (outcome.kind) {
    case 'json':
      log.httpStatus = 200;
      log.retCode = outcome.envelope.retCode;
      return reply
        .code(200)
        .headers({ ...outcome.headers, 'content-type': 'application/json; charset=utf-8' })
        .send(JSON.stringify(outcome.envelope));
    case 'http':
      // An HTML error page, as a load balancer in front of Bybit answers: ccxt then maps the
      // HTTP status (5xx → ExchangeNotAvailable) because there is no retCode to read.
      log.httpStatus = outcome.status;
      log.fault = outcome.fault;
      return reply
        .code(outcome.status)
        .header('content-type', 'text/html')
        .send(`<html><body><h1>${outcome.status}</h1>simulated fault ${outcome.fault}</body></html>`);
    case 'hang':
      log.fault = outcome.fault;
      reply.hijack();
      await context.hangs.hold(request.raw.socket, outcome.hangMs);
      return undefined;
  }
}
