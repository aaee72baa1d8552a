// Control API for the settings an account owner (or Bybit) changes outside the trading API:
// position mode and leverage (as in the Bybit app), instrument status (Bybit's listing state),
// and API keys (the API management page). The exchange rules still apply: a refused change
// answers 409 with Bybit's retCode (control-route.ts); an unchanged setting answers 200.
import { FastifyInstance } from 'fastify';
import { plain } from '../engine/decimal';
import { BybitError, RetCode } from '../engine/errors';
import { PositionMode } from '../engine/types';
import {
  ControlInputError,
  parseInstrumentStatus,
  parseKeyAdd,
  parseKeyRevoke,
  parseLeverageChange,
  parsePositionModeChange,
} from './control-parse';
import { controlBody as body, controlRoute } from './control-route';
import { SimContext } from './v5-route';

function unlessUnchanged(code: number, change: () => void): void {
  try {
    change();
  } catch (error) {
    if (!(error instanceof BybitError) || error.retCode !== code) throw error;
  }
}

/** Registers /__sim/position-mode, /__sim/leverage, /__sim/instrument-status and /__sim/keys(/revoke). */
export function registerControlSettingsRoutes(app: FastifyInstance, context: SimContext): void {
  const { exchange } = context;
  const knownSymbol = (symbol: string): string => {
    if (exchange.catalogue.find(symbol) === undefined) throw new ControlInputError(`unknown symbol ${symbol}`);
    return symbol;
  };

  controlRoute(app, 'POST', '/__sim/position-mode', (request) => {
    const change = parsePositionModeChange(body(request));
    const account = exchange.accounts.get(change.apiKey);
    const scope = change.symbol === undefined ? { coin: 'USDT' } : { symbol: knownSymbol(change.symbol) };
    unlessUnchanged(RetCode.POSITION_MODE_NOT_MODIFIED, () =>
      exchange.switchPositionMode(account.apiKey, scope, change.mode, context.clock()),
    );
    const positionModes: Record<string, PositionMode> = Object.fromEntries(account.positionModes);
    return { status: 200, body: { apiKey: account.apiKey, positionModes } };
  });

  controlRoute(app, 'POST', '/__sim/leverage', (request) => {
    const change = parseLeverageChange(body(request));
    const account = exchange.accounts.get(change.apiKey);
    const symbol = knownSymbol(change.symbol);
    unlessUnchanged(RetCode.LEVERAGE_NOT_MODIFIED, () => exchange.setLeverage(account.apiKey, symbol, change.setting, context.clock()));
    const setting = exchange.leverage(account.apiKey, symbol);
    return {
      status: 200,
      body: { apiKey: account.apiKey, symbol, buyLeverage: plain(setting.buyLeverage), sellLeverage: plain(setting.sellLeverage) },
    };
  });

  controlRoute(app, 'POST', '/__sim/instrument-status', (request) => {
    const { symbol, status } = parseInstrumentStatus(body(request));
    exchange.setInstrumentStatus(knownSymbol(symbol), status);
    return { status: 200, body: { symbol, status } };
  });

  controlRoute(app, 'POST', '/__sim/keys', (request) => {
    const { apiKey, newApiKey, newApiSecret, revokeOthers } = parseKeyAdd(body(request));
    const account = exchange.accounts.addKey(apiKey, newApiKey, newApiSecret);
    if (revokeOthers) for (const key of account.apiKeys.keys()) if (key !== newApiKey) exchange.accounts.revokeKey(key);
    return {
      status: 201,
      body: {
        accountApiKey: account.apiKey,
        apiKey: newApiKey,
        apiKeys: [...account.apiKeys].map(([key, state]) => ({ apiKey: key, revoked: state.revoked })),
      },
    };
  });

  controlRoute(app, 'POST', '/__sim/keys/revoke', (request) => {
    const { apiKey } = parseKeyRevoke(body(request));
    const account = exchange.accounts.revokeKey(apiKey);
    return { status: 200, body: { accountApiKey: account.apiKey, apiKey, revoked: true } };
  });
}
