// Order endpoints: create (with the orderCreate faults), realtime, history and executions
// (docs/v5/order/create-order.mdx, open-order.mdx, order-list.mdx, execution.mdx).
import { FastifyInstance } from 'fastify';
import { BybitError, RetCode, SYMBOL_INVALID_MSG } from '../engine/errors';
import { DEFAULT_HANG_MS, OrderCreateFault } from '../engine/faults';
import { MarketOrderRequest } from '../engine/matching';
import { paginate, queryExecutions, queryHistory, queryRealtime } from '../engine/queries';
import { Order } from '../engine/types';
import { failureOf, ok } from './envelope';
import {
  Params,
  optionalBoolean,
  optionalInteger,
  optionalString,
  pageLimit,
  requiredCategory,
  requiredQty,
  requiredSide,
  requiredString,
} from './params';
import { SimContext, V5Outcome, json, v5Route } from './v5-route';
import { executionRow, orderRow } from './wire';

/**
 * Reads a linear market order from a create-order body.
 *
 * @throws BybitError 10001 for a missing or invalid field, a non-linear category or a non-market
 *   order type (positionIdx is checked against the symbol's mode by the engine)
 */
export function parseCreateOrder(params: Params): MarketOrderRequest {
  if (requiredCategory(params) !== 'linear') throw BybitError.params('category invalid, the simulator trades linear only');
  const symbol = requiredString(params, 'symbol');
  const side = requiredSide(params);
  const orderType = requiredString(params, 'orderType');
  if (orderType !== 'Market' && orderType !== 'Limit') throw BybitError.params('orderType invalid');
  if (orderType !== 'Market') throw BybitError.params('orderType Limit is not supported by the simulator');
  const qty = requiredQty(params);
  const positionIdx = optionalInteger(params, 'positionIdx');
  return {
    symbol,
    side,
    qty,
    reduceOnly: optionalBoolean(params, 'reduceOnly') ?? false,
    closeOnTrigger: optionalBoolean(params, 'closeOnTrigger') ?? false,
    orderLinkId: optionalString(params, 'orderLinkId') ?? '',
    ...(positionIdx === undefined ? {} : { positionIdx }),
  };
}

/** The answer an orderCreate (or orderCreateBatch) fault gives instead of the endpoint's own. */
export function faultOutcome(fault: OrderCreateFault, now: number): V5Outcome {
  switch (fault.effect) {
    case 'http500':
      return { kind: 'http', status: 500, fault: fault.effect };
    case 'http503':
      return { kind: 'http', status: 503, fault: fault.effect };
    case 'rateLimit':
      return json(failureOf(BybitError.of(RetCode.RATE_LIMIT), now));
    case 'insufficientMargin':
      return json(failureOf(BybitError.of(RetCode.INSUFFICIENT_AVAILABLE_BALANCE), now));
    case 'reject':
      return json(failureOf(new BybitError(RetCode.PARAMS_ERROR, SYMBOL_INVALID_MSG), now));
    case 'timeoutBeforeAccept':
    case 'timeoutAfterAccept':
      return { kind: 'hang', hangMs: fault.hangMs ?? DEFAULT_HANG_MS, fault: fault.effect };
  }
}

/**
 * A timeoutAfterAccept fault: the request is judged and its orders placed (or refused, a refusal
 * the client never learns of) as usual; only the answer is lost.
 */
export function placeThenLoseAnswer(place: () => unknown, fault: OrderCreateFault, now: number): V5Outcome {
  try {
    place();
  } catch (error) {
    if (!(error instanceof BybitError)) throw error;
  }
  return faultOutcome(fault, now);
}

/** Registers the order and execution endpoints. */
export function registerOrderRoutes(app: FastifyInstance, context: SimContext): void {
  const { exchange } = context;
  const row = (order: Order): Record<string, unknown> => orderRow(order, exchange.catalogue.get(order.symbol));

  v5Route(app, context, 'POST', '/v5/order/create', 'private', ({ now, params, apiKey }) => {
    const request = parseCreateOrder(params);
    const fault = exchange.faults.takeOrderCreate(apiKey, request.symbol);
    if (fault !== undefined && fault.effect !== 'timeoutAfterAccept') return faultOutcome(fault, now);
    if (fault !== undefined) return placeThenLoseAnswer(() => exchange.placeMarketOrder(apiKey, request, now), fault, now);
    const order = exchange.placeMarketOrder(apiKey, request, now);
    return json(ok({ orderId: order.orderId, orderLinkId: order.orderLinkId }, now));
  });

  v5Route(app, context, 'GET', '/v5/order/realtime', 'private', ({ now, params, apiKey }) => {
    const category = requiredCategory(params);
    const symbol = optionalString(params, 'symbol');
    const baseCoin = optionalString(params, 'baseCoin');
    const settleCoin = optionalString(params, 'settleCoin');
    if (category === 'linear' && symbol === undefined && baseCoin === undefined && settleCoin === undefined) {
      throw BybitError.params('symbol, baseCoin or settleCoin is required');
    }
    const limit = pageLimit(params, 20, 50);
    const openOnly = optionalInteger(params, 'openOnly') ?? 0;
    if (category !== 'linear' || (settleCoin !== undefined && settleCoin !== 'USDT'))
      return json(ok({ category, list: [], nextPageCursor: '' }, now));
    const found = queryRealtime(exchange.visibleOrders(apiKey, now), {
      symbol,
      orderId: optionalString(params, 'orderId'),
      orderLinkId: optionalString(params, 'orderLinkId'),
      openOnly,
    }).filter((order) => baseCoin === undefined || exchange.catalogue.get(order.symbol).baseCoin === baseCoin);
    const page = paginate(found, limit, optionalString(params, 'cursor'));
    return json(ok({ category, list: page.list.map(row), nextPageCursor: page.nextPageCursor }, now));
  });

  v5Route(app, context, 'GET', '/v5/order/history', 'private', ({ now, params, apiKey }) => {
    const category = requiredCategory(params);
    const limit = pageLimit(params, 20, 50);
    if (category !== 'linear') return json(ok({ category, list: [], nextPageCursor: '' }, now));
    const found = queryHistory(
      exchange.visibleOrders(apiKey, now),
      {
        symbol: optionalString(params, 'symbol'),
        orderId: optionalString(params, 'orderId'),
        orderLinkId: optionalString(params, 'orderLinkId'),
        orderStatus: optionalString(params, 'orderStatus'),
        startTime: optionalInteger(params, 'startTime'),
        endTime: optionalInteger(params, 'endTime'),
      },
      now,
    );
    const page = paginate(found, limit, optionalString(params, 'cursor'));
    return json(ok({ category, list: page.list.map(row), nextPageCursor: page.nextPageCursor }, now));
  });

  v5Route(app, context, 'GET', '/v5/execution/list', 'private', ({ now, params, apiKey }) => {
    const category = requiredCategory(params);
    const limit = pageLimit(params, 50, 100);
    if (category !== 'linear') return json(ok({ category, list: [], nextPageCursor: '' }, now));
    const found = queryExecutions(
      exchange.visibleExecutions(apiKey, now),
      {
        symbol: optionalString(params, 'symbol'),
        orderId: optionalString(params, 'orderId'),
        orderLinkId: optionalString(params, 'orderLinkId'),
        execType: optionalString(params, 'execType'),
        startTime: optionalInteger(params, 'startTime'),
        endTime: optionalInteger(params, 'endTime'),
      },
      now,
    );
    const page = paginate(found, limit, optionalString(params, 'cursor'));
    const list = page.list.map((execution) => executionRow(execution, exchange.catalogue.get(execution.symbol)));
    return json(ok({ category, list, nextPageCursor: page.nextPageCursor }, now));
  });
}
