// Position endpoints: the position list (with the positionList faults), set-leverage and
// switch-mode (docs/v5/position/position.mdx, leverage.mdx, position-mode.mdx).
import { FastifyInstance } from 'fastify';
import { parseDecimal } from '../engine/decimal';
import { BybitError, SYMBOL_INVALID_MSG, RetCode } from '../engine/errors';
import { DEFAULT_HANG_MS } from '../engine/faults';
import { ModeSwitchScope, modeFromWire } from '../engine/position-modes';
import { paginate } from '../engine/queries';
import { LeverageSetting, PositionState } from '../engine/types';
import { ok } from './envelope';
import { Params, optionalInteger, optionalString, pageLimit, requiredCategory, requiredString } from './params';
import { SimContext, json, v5Route } from './v5-route';
import { positionRow } from './wire';

function requiredLinear(params: Params): void {
  if (requiredCategory(params) !== 'linear') throw BybitError.params('category invalid, the simulator trades linear only');
}

function requiredListedSymbol(context: SimContext, params: Params): string {
  const symbol = requiredString(params, 'symbol');
  if (context.exchange.catalogue.find(symbol) === undefined) throw new BybitError(RetCode.PARAMS_ERROR, SYMBOL_INVALID_MSG);
  return symbol;
}

/** buyLeverage and sellLeverage of a set-leverage body (decimal strings). @throws BybitError 10001 */
export function parseLeverageSetting(params: Params): LeverageSetting {
  const read = (name: string) => {
    const value = parseDecimal(requiredString(params, name));
    if (value === undefined) throw BybitError.params(`${name} invalid`);
    return value;
  };
  return { buyLeverage: read('buyLeverage'), sellLeverage: read('sellLeverage') };
}

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
      // With a symbol Bybit answers even for a flat position (both sides in hedge mode);
      // with settleCoin only size > 0.
      if (exchange.catalogue.find(symbol) === undefined) throw new BybitError(RetCode.PARAMS_ERROR, SYMBOL_INVALID_MSG);
      positions = exchange.visiblePositions(apiKey, symbol, now);
    } else {
      positions = settleCoin === 'USDT' ? exchange.visibleOpenPositions(apiKey, now) : [];
    }
    const page = paginate(positions, limit, optionalString(params, 'cursor'));
    const list = page.list.map((position) =>
      positionRow(
        position,
        exchange.catalogue.get(position.symbol),
        exchange.prices.mark(position.symbol),
        exchange.positionLeverage(apiKey, position),
      ),
    );
    return json(ok({ category, list, nextPageCursor: page.nextPageCursor }, now));
  });

  v5Route(app, context, 'POST', '/v5/position/set-leverage', 'private', ({ now, params, apiKey }) => {
    requiredLinear(params);
    const symbol = requiredListedSymbol(context, params);
    exchange.setLeverage(apiKey, symbol, parseLeverageSetting(params), now);
    return json(ok({}, now));
  });

  v5Route(app, context, 'POST', '/v5/position/switch-mode', 'private', ({ now, params, apiKey }) => {
    requiredLinear(params);
    const mode = modeFromWire(optionalInteger(params, 'mode') ?? -1);
    if (mode === undefined) throw BybitError.params('mode invalid, 0 (one-way) or 3 (hedge)');
    const symbol = optionalString(params, 'symbol');
    const coin = optionalString(params, 'coin');
    if (symbol === undefined && coin === undefined) throw BybitError.params('symbol or coin is required');
    const scope: ModeSwitchScope = symbol !== undefined ? { symbol } : { coin: coin as string };
    exchange.switchPositionMode(apiKey, scope, mode, now);
    return json(ok({}, now));
  });
}
