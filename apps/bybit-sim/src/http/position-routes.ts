// Position endpoints: the position list (with the positionList faults) and the leverage / mode
// setters ccxt may call (docs/v5/position/position.mdx, leverage.mdx, position-mode.mdx).
import { FastifyInstance } from 'fastify';
import { BybitError, SYMBOL_INVALID_MSG, RetCode } from '../engine/errors';
import { DEFAULT_HANG_MS } from '../engine/faults';
import { paginate } from '../engine/queries';
import { PositionState } from '../engine/types';
import { ok } from './envelope';
import { optionalInteger, optionalString, pageLimit, requiredCategory } from './params';
import { SimContext, json, v5Route } from './v5-route';
import { positionRow } from './wire';

/** Registers /v5/position/list, /v5/position/set-leverage and /v5/position/switch-mode. */
export function registerPositionRoutes(app: FastifyInstance, context: SimContext): void {
  const { exchange } = context;

  v5Route(app, context, 'GET', '/v5/position/list', 'private', ({ now, params, apiKey }) => {
    const category = requiredCategory(params);
    const symbol = optionalString(params, 'symbol');
    const settleCoin = optionalString(params, 'settleCoin');
    const limit = pageLimit(params, 20, 200);
    if (category === 'linear' && symbol === undefined && settleCoin === undefined) {
      throw BybitError.params('symbol or settleCoin is required');
    }
    const fault = exchange.faults.takePositionList(apiKey);
    if (fault?.effect === 'http500') return { kind: 'http', status: 500, fault: fault.effect };
    if (fault?.effect === 'timeout') return { kind: 'hang', hangMs: fault.hangMs ?? DEFAULT_HANG_MS, fault: fault.effect };
    if (category !== 'linear') return json(ok({ category, list: [], nextPageCursor: '' }, now));

    let positions: PositionState[];
    if (symbol !== undefined) {
      // With a symbol Bybit answers even for a flat position; with settleCoin only size > 0.
      if (exchange.catalogue.find(symbol) === undefined) throw new BybitError(RetCode.PARAMS_ERROR, SYMBOL_INVALID_MSG);
      positions = [exchange.visiblePosition(apiKey, symbol, now)];
    } else {
      positions = settleCoin === 'USDT' ? exchange.visibleOpenPositions(apiKey, now) : [];
    }
    const page = paginate(positions, limit, optionalString(params, 'cursor'));
    const list = page.list.map((position) => positionRow(position, exchange.catalogue.get(position.symbol), exchange.prices.mark(position.symbol)));
    return json(ok({ category, list, nextPageCursor: page.nextPageCursor }, now));
  });

  // Leverage is fixed at 1x in the simulator: the call is accepted and changes nothing.
  v5Route(app, context, 'POST', '/v5/position/set-leverage', 'private', ({ now, params }) => {
    requiredCategory(params);
    return json(ok({}, now));
  });

  // Accounts are one-way only; switching to one-way (mode 0) is accepted, hedge mode (3) is not.
  v5Route(app, context, 'POST', '/v5/position/switch-mode', 'private', ({ now, params }) => {
    requiredCategory(params);
    if (optionalInteger(params, 'mode') === 3) throw BybitError.params('hedge mode is not supported by the simulator');
    return json(ok({}, now));
  });
}
