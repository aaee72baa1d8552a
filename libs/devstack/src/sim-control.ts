/** A request the simulator received (GET /__sim/requests). */
export interface SimRequest {
  seq: number;
  time: number;
  method: string;
  path: string;
  apiKey: string | null;
  symbol: string | null;
  side: string | null;
  qty: string | null;
  orderLinkId: string | null;
  reduceOnly: boolean | null;
  positionIdx: number | null;
  /** For POST /v5/order/create-batch: the entries as sent; else null. */
  orders: { symbol: string; side: string; qty: string; orderLinkId: string; reduceOnly: boolean; positionIdx: number }[] | null;
  httpStatus: number | null;
  retCode: number | null;
  fault: string | null;
}

/** An account as GET /__sim/state shows it (Bybit wire field names, decimal strings). */
export interface SimAccountState {
  apiKey: string;
  walletBalance: string;
  orders: {
    orderId: string;
    orderLinkId: string;
    symbol: string;
    side: 'Buy' | 'Sell';
    qty: string;
    cumExecQty: string;
    orderStatus: string;
    reduceOnly: boolean;
  }[];
  positions: { symbol: string; positionIdx: 0 | 1 | 2; side: 'Buy' | 'Sell' | ''; size: string; avgPrice: string; leverage: string }[];
  /** Mode of every symbol. */
  positionModes: Record<string, 'OneWay' | 'Hedge'>;
  /** Leverage of every symbol (decimal strings). */
  leverages: Record<string, { buyLeverage: string; sellLeverage: string }>;
  apiKeys: { apiKey: string; revoked: boolean }[];
}

/** Client of the simulator's control API (`/__sim/*`, see apps/bybit-sim/README.md). */
export class SimControl {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Replaces the faults in force (for one account when `apiKey` is given). */
  setFaults(faults: Record<string, unknown>): Promise<unknown> {
    return this.call('POST', '/__sim/faults', faults);
  }

  clearFaults(): Promise<unknown> {
    return this.call('DELETE', '/__sim/faults');
  }

  async requests(filter: { path?: string; apiKey?: string } = {}): Promise<SimRequest[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return (await this.call<{ requests: SimRequest[] }>('GET', `/__sim/requests?${q.toString()}`)).requests;
  }

  /** Order placements for one account (every POST /v5/order/create it received, answered or not). */
  orderCreates(apiKey: string): Promise<SimRequest[]> {
    return this.requests({ path: '/v5/order/create', apiKey });
  }

  /** Batch placements for one account (every POST /v5/order/create-batch it received, answered or not). */
  batchCreates(apiKey: string): Promise<SimRequest[]> {
    return this.requests({ path: '/v5/order/create-batch', apiKey });
  }

  /** The create-batch budget and request size of one account (POST /__sim/batch-limits). */
  setBatchLimits(limits: { apiKey: string; ordersPerSecond?: number; maxOrdersPerRequest?: number }): Promise<unknown> {
    return this.call('POST', '/__sim/batch-limits', limits);
  }

  /** One account's true state (no lag, no faults): its orders and non-flat positions. */
  async account(apiKey: string): Promise<SimAccountState> {
    const state = await this.state<{ accounts: (SimAccountState & { apiKey: string })[] }>();
    const account = state.accounts.find((a) => a.apiKey === apiKey);
    if (!account) throw new Error(`simulator has no account ${apiKey}`);
    return { ...account, positions: account.positions.filter((p) => Number(p.size) !== 0) };
  }

  state<T = Record<string, unknown>>(): Promise<T> {
    return this.call('GET', '/__sim/state');
  }

  /** Trades on an account directly, as its owner would by hand on Bybit (positionIdx 1/2 on a hedge-mode symbol). */
  manualTrade(order: {
    apiKey: string;
    symbol: string;
    side: 'Buy' | 'Sell';
    qty: string;
    reduceOnly?: boolean;
    positionIdx?: 0 | 1 | 2;
    /** `CreateByClosing`: a close from the Bybit app's position screen (always reduce-only). */
    createType?: 'CreateByClosing';
  }): Promise<unknown> {
    return this.call('POST', '/__sim/trade', order);
  }

  /** Liquidates the account's position in `symbol` now (a `CreateByLiq` order, `BustTrade` execution). */
  liquidate(apiKey: string, symbol: string): Promise<unknown> {
    return this.call('POST', '/__sim/liquidate', { apiKey, symbol });
  }

  /** The account's private-stream connections subscribed to executions (GET /__sim/stream). */
  async streamConnections(apiKey: string): Promise<{ connId: string; apiKey: string | null; topics: string[] }[]> {
    const { connections } = await this.call<{ connections: { connId: string; apiKey: string | null; topics: string[] }[] }>(
      'GET',
      '/__sim/stream',
    );
    return connections.filter((c) => c.apiKey === apiKey && c.topics.includes('execution'));
  }

  /** Replaces the account's stream message faults (`delay` / `duplicate`, per topic). */
  setStreamFaults(faults: { apiKey: string; messages: Record<string, unknown>[] }): Promise<unknown> {
    return this.call('POST', '/__sim/stream/faults', faults);
  }

  /** Clears the account's stream message faults. */
  clearStreamFaults(apiKey: string): Promise<unknown> {
    return this.call('DELETE', `/__sim/stream/faults?apiKey=${encodeURIComponent(apiKey)}`);
  }

  /** Cuts the account's stream connections (the client sees 1006); nothing is replayed after. */
  dropStream(apiKey: string): Promise<{ dropped: number }> {
    return this.call('POST', '/__sim/stream/drop', { apiKey });
  }

  /** Stalls the account's stream connections for `durationMs`: nothing sent, no pong. */
  stallStream(apiKey: string, durationMs: number): Promise<{ stalled: number }> {
    return this.call('POST', '/__sim/stream/stall', { apiKey, durationMs });
  }

  /** Sets an account's position mode for one symbol, or every USDT symbol without `symbol` (409 with a position open). */
  setPositionMode(change: {
    apiKey: string;
    mode: 'OneWay' | 'Hedge';
    symbol?: string;
  }): Promise<{ apiKey: string; positionModes: Record<string, 'OneWay' | 'Hedge'> }> {
    return this.call('POST', '/__sim/position-mode', change);
  }

  /** Sets a symbol's leverage as in the Bybit app: `leverage` for both sides, or buy/sell (409 when the margin does not suffice). */
  setLeverage(change: {
    apiKey: string;
    symbol: string;
    leverage?: string;
    buyLeverage?: string;
    sellLeverage?: string;
  }): Promise<{ apiKey: string; symbol: string; buyLeverage: string; sellLeverage: string }> {
    return this.call('POST', '/__sim/leverage', change);
  }

  /** Sets a symbol's instruments-info status (Trading, Closed, Settling, Delivering, PreLaunch); reset restores Trading. */
  setInstrumentStatus(symbol: string, status: string): Promise<{ symbol: string; status: string }> {
    return this.call('POST', '/__sim/instrument-status', { symbol, status });
  }

  /** Revokes an API key: every private call with it then answers 10003. */
  revokeKey(apiKey: string): Promise<{ accountApiKey: string; apiKey: string; revoked: true }> {
    return this.call('POST', '/__sim/keys/revoke', { apiKey });
  }

  /** Gives the account holding `apiKey` a new key (and revokes its other keys with `revokeOthers`). */
  addKey(key: {
    apiKey: string;
    newApiKey: string;
    newApiSecret: string;
    revokeOthers?: boolean;
  }): Promise<{ accountApiKey: string; apiKey: string; apiKeys: { apiKey: string; revoked: boolean }[] }> {
    return this.call('POST', '/__sim/keys', key);
  }

  setPrices(prices: Record<string, string>): Promise<unknown> {
    return this.call('POST', '/__sim/prices', prices);
  }

  /**
   * Fills market orders at the mark price (one execution, exact prices) instead of walking the
   * order book: for one account, or for every account without `apiKey`.
   */
  setFillAtMark(fillAtMark: boolean, apiKey?: string): Promise<{ apiKey: string | null; fillAtMark: boolean }> {
    return this.call('POST', '/__sim/fill-mode', apiKey === undefined ? { fillAtMark } : { apiKey, fillAtMark });
  }

  /**
   * Reshapes the order book of one symbol, or of every symbol without `symbol` (fields not given
   * keep their value): e.g. `{symbol: 'BTCUSDT', levelNotionalUsdt: '100'}` makes a leg of a few
   * hundred USDT cross levels; `{depth: 2}` makes a large one partly filled and cancelled.
   */
  configureOrderBook(settings: SimBookSettings & { symbol?: string }): Promise<{ symbol: string | null; settings: SimBookSettings }> {
    return this.call('POST', '/__sim/order-book', settings);
  }

  /** Sets funding rates per 8 hours by symbol (decimal strings, e.g. "0.0001"; negative: shorts pay). */
  setFundingRates(rates: Record<string, string>): Promise<{ fundingRates: Record<string, string> }> {
    return this.call('POST', '/__sim/funding/rates', rates);
  }

  /** Settles funding now on every open position (of one symbol), off the 8-hour schedule. */
  async settleFunding(symbol?: string): Promise<SimFundingSettlement[]> {
    return (
      await this.call<{ settlements: SimFundingSettlement[] }>('POST', '/__sim/funding/settle', symbol === undefined ? {} : { symbol })
    ).settlements;
  }

  /**
   * Starts (or schedules, with a future `beginTime`) a maintenance window of the exchange, or of
   * one symbol: orders are refused with 10016 (exchange) or 110066 (symbol) while it is ongoing.
   */
  startMaintenance(
    window: { symbol?: string; title?: string; beginTime?: number; endTime?: number; durationMs?: number } = {},
  ): Promise<SimMaintenanceWindow> {
    return this.call('POST', '/__sim/maintenance', window);
  }

  /** Ends the exchange's (or a symbol's) ongoing maintenance now and drops scheduled ones. */
  endMaintenance(symbol?: string): Promise<{ ended: number; windows: SimMaintenanceWindow[] }> {
    return this.call('DELETE', `/__sim/maintenance${symbol === undefined ? '' : `?symbol=${encodeURIComponent(symbol)}`}`);
  }
}

/** The shape of a symbol's order book (POST /__sim/order-book); decimals as strings. */
export interface SimBookSettings {
  spreadTicks?: number;
  depth?: number;
  levelStepTicks?: number;
  levelNotionalUsdt?: string;
  refillMs?: number;
  priceLimitRatio?: string | null;
}

/** One funding settlement booked by POST /__sim/funding/settle (execFee > 0 paid, < 0 received). */
export interface SimFundingSettlement {
  apiKey: string;
  symbol: string;
  positionIdx: 0 | 1 | 2;
  execId: string;
  execTime: number;
  execQty: string;
  markPrice: string;
  feeRate: string;
  execFee: string;
}

/** A maintenance window (POST /__sim/maintenance); `symbol` null = the whole exchange. */
export interface SimMaintenanceWindow {
  id: string;
  title: string;
  symbol: string | null;
  beginTime: number;
  endTime: number;
  state: 'scheduled' | 'ongoing' | 'completed';
}
