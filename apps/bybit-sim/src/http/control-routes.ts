// Control API under /__sim/ (JSON, no auth) for tests, demos and operators: accounts, prices,
// manual trades, faults, the request log, full state and reset. It sees the true state: no
// visibility lag and no faults apply here.
import { FastifyInstance } from 'fastify';
import { derived, plain } from '../engine/decimal';
import { BybitError } from '../engine/errors';
import { formatPrice } from '../engine/instruments';
import { AccountState } from '../engine/types';
import { ControlInputError, parseFaults, parseManualTrade, parseNewAccount, parsePrices } from './control-parse';
import { controlBody as body, controlQuery as query, controlRoute } from './control-route';
import { bookSettingsJson, maintenanceJson } from './control-market-routes';
import { registerControlNetworkRoutes } from './control-network-routes';
import { registerControlSettingsRoutes } from './control-settings-routes';
import { SimContext } from './v5-route';
import { executionRow, orderRow, positionRow, walletRow } from './wire';

function accountState(context: SimContext, account: AccountState, now: number): Record<string, unknown> {
  const { exchange } = context;
  const wallet = exchange.wallet(account.apiKey, now);
  return {
    apiKey: account.apiKey,
    apiKeys: [...account.apiKeys].map(([apiKey, key]) => ({ apiKey, revoked: key.revoked })),
    userId: account.userId,
    canWithdraw: account.canWithdraw,
    createdTime: account.createdTime,
    fillAtMark: exchange.fillAtMark(account.apiKey),
    walletBalance: derived(wallet.walletBalance),
    availableBalance: derived(wallet.availableBalance),
    wallet: walletRow(wallet),
    positionModes: Object.fromEntries(account.positionModes),
    leverages: Object.fromEntries(
      [...account.leverages].map(([symbol, setting]) => [
        symbol,
        { buyLeverage: plain(setting.buyLeverage), sellLeverage: plain(setting.sellLeverage) },
      ]),
    ),
    positions: [...account.positions.values()]
      .filter((position) => !position.size.isZero())
      .map((position) =>
        positionRow(
          position,
          exchange.catalogue.get(position.symbol),
          exchange.prices.mark(position.symbol),
          exchange.positionLeverage(account.apiKey, position),
        ),
      ),
    orders: account.orders.map((order) => orderRow(order, exchange.catalogue.get(order.symbol))),
    executions: account.executions.map((execution) => ({
      ...executionRow(execution, exchange.catalogue.get(execution.symbol)),
      positionIdx: execution.positionIdx,
    })),
  };
}

/** Registers the control API and GET /health. */
export function registerControlRoutes(app: FastifyInstance, context: SimContext): void {
  const { exchange } = context;
  const route = (method: 'GET' | 'POST' | 'DELETE', url: string, handler: Parameters<typeof controlRoute>[3]): void =>
    controlRoute(app, method, url, handler);

  route('GET', '/health', () => ({ status: 200, body: { status: 'ok' } }));

  route('POST', '/__sim/accounts', (request) => {
    const account = exchange.createAccount(parseNewAccount(body(request)), context.clock());
    return {
      status: 201,
      body: {
        apiKey: account.apiKey,
        userId: account.userId,
        walletBalance: derived(account.walletBalance),
        canWithdraw: account.canWithdraw,
      },
    };
  });

  route('GET', '/__sim/state', () => {
    const now = context.clock();
    exchange.settle(now);
    return {
      status: 200,
      body: {
        time: now,
        prices: Object.fromEntries(
          exchange.prices
            .all()
            .map((entry) => [
              entry.symbol,
              { markPrice: formatPrice(exchange.catalogue.get(entry.symbol), entry.markPrice), pinned: entry.pinned },
            ]),
        ),
        instrumentStatuses: Object.fromEntries(exchange.catalogue.symbols().map((symbol) => [symbol, exchange.instrumentStatus(symbol)])),
        fundingRates: Object.fromEntries([...exchange.fundingRates.all()].map(([symbol, rate]) => [symbol, plain(rate)])),
        orderBooks: Object.fromEntries(
          exchange.catalogue.symbols().map((symbol) => [symbol, bookSettingsJson(exchange.books.settings(symbol))]),
        ),
        maintenance: exchange.maintenance.all().map((window) => maintenanceJson(window, now)),
        accounts: exchange.accounts.all().map((account) => accountState(context, account, now)),
        faults: exchange.faults.snapshot(),
        latency: exchange.latency.snapshot(),
        batchLimits: exchange.batchBudget.snapshot(),
        // Requests held open by a timeout fault right now (0 once their clients gave up).
        hangingRequests: context.hangs.size,
      },
    };
  });

  route('POST', '/__sim/prices', (request) => {
    const prices = parsePrices(body(request));
    const unknown = [...prices.keys()].filter((symbol) => exchange.catalogue.find(symbol) === undefined);
    if (unknown.length > 0) throw new ControlInputError(`unknown symbol(s) ${unknown.join(', ')}`);
    const set: Record<string, string> = {};
    for (const [symbol, price] of prices) set[symbol] = formatPrice(exchange.catalogue.get(symbol), exchange.prices.set(symbol, price));
    return { status: 200, body: { prices: set } };
  });

  route('POST', '/__sim/reset', () => {
    exchange.reset();
    context.requestLog.clear();
    return { status: 200, body: { reset: true } };
  });

  route('POST', '/__sim/trade', (request) => {
    const trade = parseManualTrade(body(request));
    if (exchange.account(trade.apiKey) === undefined) return { status: 404, body: { error: `no account with apiKey ${trade.apiKey}` } };
    try {
      const order = exchange.placeMarketOrder(trade.apiKey, { ...trade, closeOnTrigger: false }, context.clock());
      return { status: 200, body: { order: orderRow(order, exchange.catalogue.get(order.symbol)) } };
    } catch (error) {
      if (!(error instanceof BybitError)) throw error;
      return { status: 422, body: { retCode: error.retCode, retMsg: error.retMsg } };
    }
  });

  route('POST', '/__sim/faults', (request) => {
    const { apiKey, faults } = parseFaults(body(request));
    // Faults follow the account whichever of its keys names it.
    exchange.faults.replace(faults, apiKey === undefined ? undefined : (exchange.account(apiKey)?.apiKey ?? apiKey));
    return { status: 200, body: { faults: exchange.faults.snapshot() } };
  });

  route('DELETE', '/__sim/faults', (request) => {
    const apiKey = query(request)['apiKey'];
    exchange.faults.clear(apiKey === undefined ? undefined : (exchange.account(apiKey)?.apiKey ?? apiKey));
    return { status: 200, body: { faults: exchange.faults.snapshot() } };
  });

  route('GET', '/__sim/requests', (request) => {
    const { path, apiKey, afterSeq } = query(request);
    if (afterSeq !== undefined && !/^\d{1,15}$/.test(afterSeq)) throw new ControlInputError('afterSeq must be a non-negative integer');
    const requests = context.requestLog.list({ path, apiKey, ...(afterSeq === undefined ? {} : { afterSeq: Number(afterSeq) }) });
    return { status: 200, body: { oldestSeq: context.requestLog.oldestSeq(), requests } };
  });

  registerControlSettingsRoutes(app, context);
  registerControlNetworkRoutes(app, context);
}
