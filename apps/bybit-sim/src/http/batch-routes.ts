// POST /v5/order/create-batch (docs/v5/order/batch-place.mdx), category=linear: the wire side of
// engine/batch.ts. The answer holds two lists in request order — `result.list[i]` {category,
// symbol, orderId, orderLinkId, createAt} and `retExtInfo.list[i]` {code, msg}; a failed entry has
// orderId "" and createAt "" (the docs' WS example, websocket/trade/guideline.mdx) — and the
// X-Bapi-Limit* headers of the account's batch budget (rate-limit.mdx; the WS example shows the
// status dropping by the number of orders). ccxt 4.5.84's createOrders merges each non-zero code
// into its entry and parses it as a rejected order; a placed entry parses with no status, because
// the answer carries none (bybit.js createOrders/parseOrder). The orderCreateBatch faults shape the
// whole answer, as orderCreate does for /v5/order/create.
import { FastifyInstance } from 'fastify';
import { BatchEntry, BatchEntryResult, placeBatch } from '../engine/batch';
import { BudgetStatus } from '../engine/batch-budget';
import { BybitError } from '../engine/errors';
import { ok } from './envelope';
import { faultOutcome, parseCreateOrder, placeThenLoseAnswer } from './order-routes';
import { Params, optionalString, requiredCategory } from './params';
import { SimContext, V5Outcome, isRecord, v5Route } from './v5-route';

/**
 * Reads the `request` list of a create-batch body. Each entry is parsed as a /v5/order/create
 * body under the request's category; an entry that does not parse becomes a refused entry
 * (its 10001 is that entry's code), so one bad entry never refuses the others.
 *
 * @throws BybitError 10001 when category is missing, invalid or not linear, or `request` is not a list
 */
export function parseBatchEntries(params: Params): BatchEntry[] {
  const category = requiredCategory(params);
  if (category !== 'linear') throw BybitError.params('category invalid, the simulator trades linear only');
  const list = params['request'];
  if (!Array.isArray(list)) throw BybitError.params('request is required: a list of orders');
  return list.map((raw: unknown): BatchEntry => {
    const entry: Params = isRecord(raw) ? raw : {};
    try {
      if (!isRecord(raw)) throw BybitError.params('each request entry must be an object');
      return { request: parseCreateOrder({ ...entry, category }) };
    } catch (error) {
      if (!(error instanceof BybitError)) throw error;
      return { refused: error, symbol: optionalString(entry, 'symbol') ?? '', orderLinkId: optionalString(entry, 'orderLinkId') ?? '' };
    }
  });
}

/** `result.list[i]` of the answer. */
export function batchResultRow(result: BatchEntryResult): Record<string, string> {
  return {
    category: 'linear',
    symbol: result.symbol,
    orderId: result.order?.orderId ?? '',
    orderLinkId: result.orderLinkId,
    createAt: result.order === undefined ? '' : String(result.order.createdTime),
  };
}

/** The X-Bapi-Limit* headers (strings, as Bybit sends them). */
export function budgetHeaders(budget: BudgetStatus): Record<string, string> {
  return {
    'X-Bapi-Limit': String(budget.limit),
    'X-Bapi-Limit-Status': String(budget.remaining),
    'X-Bapi-Limit-Reset-Timestamp': String(budget.resetTimestamp),
  };
}

/** Registers POST /v5/order/create-batch. */
export function registerBatchOrderRoutes(app: FastifyInstance, context: SimContext): void {
  v5Route(app, context, 'POST', '/v5/order/create-batch', 'private', ({ now, params, apiKey }): V5Outcome => {
    const entries = parseBatchEntries(params);
    const symbols = entries.map((entry) => ('refused' in entry ? entry.symbol : entry.request.symbol));
    const fault = context.exchange.faults.takeOrderCreateBatch(apiKey, symbols);
    if (fault !== undefined && fault.effect !== 'timeoutAfterAccept') return faultOutcome(fault, now);
    if (fault !== undefined) return placeThenLoseAnswer(() => placeBatch(context.exchange, apiKey, entries, now), fault, now);
    const { results, budget } = placeBatch(context.exchange, apiKey, entries, now);
    const envelope = {
      ...ok({ list: results.map(batchResultRow) }, now),
      retExtInfo: { list: results.map(({ code, msg }) => ({ code, msg })) },
    };
    return { kind: 'json', envelope, headers: budgetHeaders(budget) };
  });
}
