// Control API for the market around the accounts: the shape of the order books, fill-at-mark,
// funding rates and on-demand funding settlement, and maintenance windows of the exchange or of
// one symbol. See apps/bybit-sim/README.md "Control API".
import { randomUUID } from 'node:crypto';
import { FastifyInstance } from 'fastify';
import { derived, plain } from '../engine/decimal';
import { maintenanceState, MaintenanceWindow } from '../engine/maintenance';
import { BookSettings } from '../engine/order-book';
import { parseBookSettings, parseFillMode, parseFundingRates, parseFundingSettle, parseMaintenance } from './control-market-parse';
import { ControlInputError } from './control-parse';
import { controlBody as body, controlQuery as query, controlRoute } from './control-route';
import { SimContext } from './v5-route';

/** Book settings as JSON (decimal strings). */
export function bookSettingsJson(settings: BookSettings): Record<string, unknown> {
  return {
    spreadTicks: settings.spreadTicks,
    depth: settings.depth,
    levelStepTicks: settings.levelStepTicks,
    levelNotionalUsdt: plain(settings.levelNotionalUsdt),
    refillMs: settings.refillMs,
    priceLimitRatio: settings.priceLimitRatio === undefined ? null : plain(settings.priceLimitRatio),
  };
}

/** A maintenance window as JSON, with its state at `now`. */
export function maintenanceJson(window: MaintenanceWindow, now: number): Record<string, unknown> {
  return {
    id: window.id,
    title: window.title,
    symbol: window.symbol ?? null,
    beginTime: window.begin,
    endTime: window.end,
    state: maintenanceState(window, now),
  };
}

/** Registers /__sim/order-book, /__sim/fill-mode, /__sim/funding/rates, /__sim/funding/settle and /__sim/maintenance. */
export function registerControlMarketRoutes(app: FastifyInstance, context: SimContext): void {
  const { exchange } = context;
  const knownSymbol = (symbol: string | undefined): string | undefined => {
    if (symbol !== undefined && exchange.catalogue.find(symbol) === undefined) throw new ControlInputError(`unknown symbol ${symbol}`);
    return symbol;
  };

  controlRoute(app, 'POST', '/__sim/order-book', (request) => {
    const { symbol, settings } = parseBookSettings(body(request));
    const applied = exchange.books.configure(settings, knownSymbol(symbol));
    return { status: 200, body: { symbol: symbol ?? null, settings: bookSettingsJson(applied) } };
  });

  controlRoute(app, 'POST', '/__sim/fill-mode', (request) => {
    const { apiKey, fillAtMark } = parseFillMode(body(request));
    exchange.setFillAtMark(fillAtMark, apiKey);
    return { status: 200, body: { apiKey: apiKey === undefined ? null : exchange.accounts.get(apiKey).apiKey, fillAtMark } };
  });

  controlRoute(app, 'POST', '/__sim/funding/rates', (request) => {
    const rates = parseFundingRates(body(request));
    for (const [symbol, rate] of rates) exchange.fundingRates.set(knownSymbol(symbol) ?? symbol, rate);
    return {
      status: 200,
      body: { fundingRates: Object.fromEntries([...exchange.fundingRates.all()].map(([symbol, rate]) => [symbol, plain(rate)])) },
    };
  });

  controlRoute(app, 'POST', '/__sim/funding/settle', (request) => {
    const { symbol } = parseFundingSettle(body(request));
    const booked = exchange.settleFundingNow(context.clock(), knownSymbol(symbol));
    return {
      status: 200,
      body: {
        settlements: booked.map(({ apiKey, execution }) => ({
          apiKey,
          symbol: execution.symbol,
          positionIdx: execution.positionIdx,
          execId: execution.execId,
          execTime: execution.execTime,
          execQty: plain(execution.execQty),
          markPrice: plain(execution.markPrice),
          feeRate: plain(execution.feeRate),
          execFee: derived(execution.execFee),
        })),
      },
    };
  });

  controlRoute(app, 'POST', '/__sim/maintenance', (request) => {
    const now = context.clock();
    const { symbol, title, begin, end } = parseMaintenance(body(request), now);
    const window: MaintenanceWindow = {
      id: randomUUID(),
      title: title ?? (symbol === undefined ? 'System maintenance' : `${symbol} maintenance`),
      symbol: knownSymbol(symbol),
      begin,
      end,
    };
    exchange.maintenance.add(window);
    return { status: 201, body: maintenanceJson(window, now) };
  });

  controlRoute(app, 'DELETE', '/__sim/maintenance', (request) => {
    const now = context.clock();
    const ended = exchange.maintenance.end(knownSymbol(query(request)['symbol']), now);
    return { status: 200, body: { ended, windows: exchange.maintenance.all().map((window) => maintenanceJson(window, now)) } };
  });
}
