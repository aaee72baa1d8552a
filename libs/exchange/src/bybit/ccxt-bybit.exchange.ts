import * as ccxt from 'ccxt';
import type { InstrumentRules } from '@legwork/domain';
import { BYBIT_BATCH_MAX_LINEAR_ORDERS, ExchangeRequestRefusedError } from '../exchange.port';
import type {
  ApiKeyPermissions,
  BatchOrderOutcome,
  ExchangePort,
  ExecutionView,
  MaintenanceWindow,
  MarketOrderRequest,
  OrderView,
  PlaceOrderOutcome,
  PositionView,
  SetLeverageOutcome,
} from '../exchange.port';
import { positionSlot } from '../exchange.port';
import {
  BatchEntryAnswer,
  batchOrderOutcome,
  batchOutcomesFromError,
  isNotModified,
  placeOrderOutcomeFromError,
  readError,
  setLeverageOutcomeFromError,
} from '../exchange-outcome';
import type { GuardedCall } from '../guarded-call';
import {
  apiKeyPermissionsFromBybit,
  BYBIT_NON_TRADING_STATUSES,
  executionViewFromBybit,
  instrumentRulesFromBybit,
  maintenanceWindowFromBybit,
  orderViewFromBybit,
  positionViewFromBybit,
} from './bybit-mapping';

type Raw = Record<string, unknown>;
type RawList = { result?: { list?: Raw[]; nextPageCursor?: string } };

/** Bybit `positionIdx` (docs/v5/order/create-order.mdx): 0 one-way, 1 long side, 2 short side of hedge mode. */
function positionIdxOf(hedgeSide: 'long' | 'short' | null): 0 | 1 | 2 {
  return hedgeSide === 'long' ? 1 : hedgeSide === 'short' ? 2 : 0;
}

/** The entry at `i` when it names no `orderLinkId` (a refused entry may echo none), else none. */
function entryAt(entries: readonly BatchEntryAnswer[], i: number): BatchEntryAnswer | undefined {
  const entry = entries[i];
  return entry && !entry.clientOrderId ? entry : undefined;
}

/** Bybit V5 `limit` maxima: position list 200, execution list 100, order queries 50. */
const POSITION_PAGE = 200;
const EXECUTION_PAGE = 100;

/**
 * {@link ExchangePort} for one Bybit account, through ccxt's `bybit` class only. Orders go through
 * ccxt's unified `createOrder` (`clientOrderId` → `orderLinkId`, POST /v5/order/create); reads use
 * ccxt's signed V5 endpoints directly (`privateGetV5OrderRealtime`, `…OrderHistory`,
 * `…ExecutionList`, `…PositionList`, `publicGetV5MarketTickers`) so that quantities and prices
 * stay Bybit's exact decimal strings instead of ccxt's floats, and so that ccxt's `fetchOrder`
 * caveat (only the last 500 orders, docs/v5/order/open-order.mdx) never hides an order: we look
 * in both realtime and history by `orderLinkId`.
 */
export class CcxtBybitExchange implements ExchangePort {
  constructor(
    private readonly client: ccxt.bybit,
    private readonly guard: GuardedCall,
  ) {}

  /**
   * Read fresh from /v5/market/instruments-info, one symbol per request, in parallel — not from
   * ccxt's markets, which are loaded once per process: an instrument that stopped trading since
   * must be seen before a basket's first order. Bybit lists only `Trading` instruments unless
   * `status` is given (docs/v5/market/instrument.mdx), so a symbol missing there is looked up
   * under each other linear status before it is reported unlisted (absent from the map).
   */
  async instrumentRules(symbols: readonly string[]): Promise<Map<string, InstrumentRules>> {
    const found = await Promise.all(symbols.map((symbol) => this.instrument(symbol)));
    return new Map(found.filter((rules): rules is InstrumentRules => rules !== null).map((rules) => [rules.symbol, rules]));
  }

  private async instrument(symbol: string): Promise<InstrumentRules | null> {
    for (const status of [undefined, ...BYBIT_NON_TRADING_STATUSES]) {
      let response: RawList;
      try {
        response = (await this.guard.read('instruments_info', () =>
          this.client.publicGetV5MarketInstrumentsInfo({ category: 'linear', symbol, ...(status ? { status } : {}) }),
        )) as RawList;
      } catch (error) {
        // An unknown symbol may be answered with a refusal instead of an empty list.
        if (error instanceof ExchangeRequestRefusedError && error.code === 'EXCHANGE.INVALID_SYMBOL') continue;
        throw error;
      }
      const row = response.result?.list?.find(
        (r) => r['symbol'] === symbol && r['settleCoin'] === 'USDT' && r['contractType'] === 'LinearPerpetual',
      );
      if (row) return instrumentRulesFromBybit(row);
    }
    return null;
  }

  /** One request for every linear ticker (docs/v5/market/tickers.mdx: `symbol` optional), filtered here. */
  async markPrices(symbols?: readonly string[]): Promise<Map<string, string>> {
    const response = (await this.guard.read('market_tickers', () =>
      this.client.publicGetV5MarketTickers({ category: 'linear' }),
    )) as RawList;
    const wanted = symbols ? new Set(symbols) : null;
    const prices = new Map<string, string>();
    for (const row of response.result?.list ?? []) {
      const symbol = String(row['symbol']);
      if ((wanted?.has(symbol) ?? true) && row['markPrice']) prices.set(symbol, String(row['markPrice']));
    }
    return prices;
  }

  async placeMarketOrder(request: MarketOrderRequest): Promise<PlaceOrderOutcome> {
    try {
      const unified = await this.unifiedSymbol(request.symbol);
      // ccxt accepts the amount as a decimal string and sends it as Bybit's `qty` unchanged.
      const amount = request.quantity as unknown as number;
      const order = await this.guard.write('order_create', () =>
        this.client.createOrder(unified, 'market', request.side, amount, undefined, {
          clientOrderId: request.orderLinkId,
          reduceOnly: request.reduceOnly,
          positionIdx: positionIdxOf(request.hedgeSide ?? null),
        }),
      );
      return { kind: 'accepted', exchangeOrderId: String(order.id) };
    } catch (error) {
      return placeOrderOutcomeFromError(error);
    }
  }

  /**
   * ccxt `createOrders` → POST /v5/order/create-batch, at most {@link BYBIT_BATCH_MAX_LINEAR_ORDERS}
   * orders a request (more: several requests in order). Each order is built as `createOrder`
   * builds it (`clientOrderId` → `orderLinkId`, `reduceOnly`, `positionIdx`). Entries are matched
   * to requests by `orderLinkId`, by position when an entry echoes none.
   */
  async placeMarketOrders(requests: readonly MarketOrderRequest[]): Promise<BatchOrderOutcome[]> {
    const outcomes: BatchOrderOutcome[] = [];
    for (let start = 0; start < requests.length; start += BYBIT_BATCH_MAX_LINEAR_ORDERS) {
      outcomes.push(...(await this.placeBatch(requests.slice(start, start + BYBIT_BATCH_MAX_LINEAR_ORDERS))));
    }
    return outcomes;
  }

  private async placeBatch(requests: readonly MarketOrderRequest[]): Promise<BatchOrderOutcome[]> {
    let entries: BatchEntryAnswer[];
    try {
      const orders = await Promise.all(
        requests.map(async (request) => ({
          symbol: await this.unifiedSymbol(request.symbol),
          type: 'market' as const,
          side: request.side,
          // ccxt accepts the amount as a decimal string and sends it as Bybit's `qty` unchanged.
          amount: request.quantity as unknown as number,
          params: {
            clientOrderId: request.orderLinkId,
            reduceOnly: request.reduceOnly,
            positionIdx: positionIdxOf(request.hedgeSide ?? null),
          },
        })),
      );
      entries = (await this.guard.write('order_create_batch', () => this.client.createOrders(orders))) as BatchEntryAnswer[];
    } catch (error) {
      return batchOutcomesFromError(error, requests.length);
    }
    return requests.map((request, i) =>
      batchOrderOutcome(entries.find((e) => e.clientOrderId === request.orderLinkId) ?? entryAt(entries, i)),
    );
  }

  async findOrder(symbol: string, orderLinkId: string): Promise<OrderView | null> {
    const query = { category: 'linear', symbol, orderLinkId };
    const realtime = (await this.guard.read('order_realtime', () => this.client.privateGetV5OrderRealtime(query))) as RawList;
    const live = realtime.result?.list?.find((row) => row['orderLinkId'] === orderLinkId);
    if (live) return orderViewFromBybit(live);
    const history = (await this.guard.read('order_history', () => this.client.privateGetV5OrderHistory(query))) as RawList;
    const closed = history.result?.list?.find((row) => row['orderLinkId'] === orderLinkId);
    return closed ? orderViewFromBybit(closed) : null;
  }

  async executions(
    symbol: string | null,
    filter: { orderLinkId: string } | { since: Date; execType?: 'Funding' },
  ): Promise<ExecutionView[]> {
    const base: Raw = { category: 'linear', ...(symbol === null ? {} : { symbol }), limit: EXECUTION_PAGE };
    if ('orderLinkId' in filter) base['orderLinkId'] = filter.orderLinkId;
    else {
      base['startTime'] = filter.since.getTime();
      if (filter.execType) base['execType'] = filter.execType;
    }
    const rows = await this.paginate('execution_list', base, (q) => this.client.privateGetV5ExecutionList(q));
    return rows
      .map(executionViewFromBybit)
      .filter((e): e is ExecutionView => e !== null && ('orderLinkId' in filter ? e.orderLinkId === filter.orderLinkId : true));
  }

  async positions(symbols?: readonly string[]): Promise<PositionView[]> {
    const rows = await this.paginate('position_list', { category: 'linear', settleCoin: 'USDT', limit: POSITION_PAGE }, (q) =>
      this.client.privateGetV5PositionList(q),
    );
    const views = rows.map(positionViewFromBybit);
    if (!symbols) return views.filter((v) => v.side !== 'flat');
    return symbols.flatMap((symbol) => {
      const listed = views.filter((v) => v.symbol === symbol);
      return listed.length > 0 ? listed : [positionSlot([], symbol, null)];
    });
  }

  async positionsBySymbol(symbols: readonly string[]): Promise<PositionView[]> {
    // One request per symbol (Bybit lists a flat symbol's row only when asked for the symbol), all at once.
    const perSymbol = await Promise.all(
      symbols.map(async (symbol) => {
        const response = (await this.guard.read('position_list', () =>
          this.client.privateGetV5PositionList({ category: 'linear', symbol }),
        )) as RawList;
        // Hedge mode answers one row per side: all are returned, the caller decides per symbol.
        const rows = (response.result?.list ?? []).filter((r) => r['symbol'] === symbol);
        if (rows.length === 0) throw readError(new Error(`no position row for ${symbol}`), 'position_list');
        return rows.map(positionViewFromBybit);
      }),
    );
    return perSymbol.flat();
  }

  async setLeverage(symbol: string, leverage: string): Promise<SetLeverageOutcome> {
    try {
      const unified = await this.unifiedSymbol(symbol);
      // ccxt's numberToString passes a string through unchanged, as buyLeverage = sellLeverage.
      const asked = leverage as unknown as number;
      await this.guard.write('set_leverage', () => this.client.setLeverage(asked, unified));
      return { kind: 'set' };
    } catch (error) {
      return setLeverageOutcomeFromError(error);
    }
  }

  /** GET /v5/system/status, the endpoint of ccxt's `fetchStatus`, read raw: ccxt keeps only the first ongoing window's end. */
  async maintenanceWindows(): Promise<MaintenanceWindow[]> {
    const response = (await this.guard.read('system_status', () => this.client.publicGetV5SystemStatus())) as RawList;
    return (response.result?.list ?? []).map(maintenanceWindowFromBybit);
  }

  /**
   * `totalAvailableBalance` of the UNIFIED row (account-level, USD-valued: the USDT a USDT-margined
   * account may still commit), not a coin's `availableToWithdraw`, deprecated for UNIFIED and
   * served empty since 2025-01 (ccxt then derives free = walletBalance − IM, the same figure).
   */
  async availableBalance(): Promise<string> {
    const response = (await this.guard.read('wallet_balance', () =>
      this.client.privateGetV5AccountWalletBalance({ accountType: 'UNIFIED' }),
    )) as RawList;
    const row = response.result?.list?.find((r) => r['accountType'] === 'UNIFIED');
    const available = row?.['totalAvailableBalance'];
    if (typeof available !== 'string' || !/^-?\d+(\.\d+)?$/.test(available))
      throw readError(new Error(`wallet-balance has no totalAvailableBalance (${String(available)})`), 'wallet_balance');
    return available;
  }

  async apiKeyPermissions(): Promise<ApiKeyPermissions> {
    const response = (await this.guard.read('user_query_api', () => this.client.privateGetV5UserQueryApi())) as { result?: Raw };
    return apiKeyPermissionsFromBybit(response.result ?? {});
  }

  /** ccxt `setPositionMode(true)`: POST /v5/position/switch-mode, mode 3, coin USDT (docs/v5/position/position-mode.mdx). */
  async switchToHedgeMode(): Promise<void> {
    try {
      await this.guard.write('position_switch_mode', () => this.client.setPositionMode(true, undefined, { type: 'linear' }));
    } catch (error) {
      if (isNotModified(error)) return;
      throw readError(error, 'switch to hedge mode');
    }
  }

  private async unifiedSymbol(symbol: string): Promise<string> {
    const market = await this.linearMarket(symbol);
    if (!market) throw new ccxt.BadSymbol(`bybit ${symbol} is not a USDT linear perpetual`);
    return market.symbol;
  }

  /** The USDT linear perpetual with Bybit id `symbol` (`BTCUSDT`), if the exchange lists it. */
  private async linearMarket(symbol: string): Promise<ccxt.MarketInterface | undefined> {
    await this.guard.read('load_markets', () => this.client.loadMarkets());
    const candidates = (this.client.markets_by_id?.[symbol] ?? []) as ccxt.MarketInterface[];
    return candidates.find((m) => m.linear === true && m.settle === 'USDT');
  }

  /** Follows `nextPageCursor` (Bybit V5 cursor pagination) to the end. */
  private async paginate(endpoint: string, query: Raw, call: (q: Raw) => Promise<unknown>): Promise<Raw[]> {
    const rows: Raw[] = [];
    let cursor = '';
    for (let page = 0; page < 50; page += 1) {
      const response = (await this.guard.read(endpoint, () => call(cursor ? { ...query, cursor } : query))) as RawList;
      rows.push(...(response.result?.list ?? []));
      cursor = response.result?.nextPageCursor ?? '';
      if (!cursor || (response.result?.list ?? []).length === 0) return rows;
    }
    throw readError(new Error(`more than 50 pages of ${endpoint}`), endpoint);
  }
}
