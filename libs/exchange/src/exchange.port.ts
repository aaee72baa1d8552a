import type { HedgeSide, InstrumentRules, LegSide, PositionMode } from '@legwork/domain';

/**
 * Legwork's view of an exchange account. Symbols are exchange symbols (`BTCUSDT`); quantities
 * and prices are decimal strings (base coin / USDT); times are Dates. Implementations: the ccxt
 * Bybit adapter (bybit/), which is the only path to a real or simulated exchange.
 *
 * Reads throw {@link ExchangeUnavailableError} when the exchange cannot answer: a failed read is
 * never an empty answer (a failed position list is not "flat").
 */
export interface ExchangePort {
  instrumentRules(symbols: readonly string[]): Promise<Map<string, InstrumentRules>>;
  /** Mark prices (USDT) of `symbols`, or of every listed linear perpetual when `symbols` is omitted. */
  markPrices(symbols?: readonly string[]): Promise<Map<string, string>>;
  /** Sends one market order; never throws for exchange answers — see {@link PlaceOrderOutcome}. */
  placeMarketOrder(request: MarketOrderRequest): Promise<PlaceOrderOutcome>;
  /** The order with this `orderLinkId`, open or closed, or null when the exchange has none (yet). */
  findOrder(symbol: string, orderLinkId: string): Promise<OrderView | null>;
  /** Executions of one order (by `orderLinkId`), or of a symbol since a time. */
  executions(symbol: string, filter: { orderLinkId: string } | { since: Date }): Promise<ExecutionView[]>;
  /**
   * Open positions. With `symbols`: every row the exchange lists for each asked symbol (one-way
   * account: one; hedge-mode account: two, the long and the short side, flat or not), and a flat
   * one-way view for an asked symbol the exchange lists nothing for. Pick one side with
   * {@link positionSlot}.
   */
  positions(symbols?: readonly string[]): Promise<PositionView[]>;
  /** What this API key may do (checked before Legwork stores a key). */
  apiKeyPermissions(): Promise<ApiKeyPermissions>;
  /** The account's position mode in each symbol (Bybit sets it per symbol or per settle coin). */
  positionModes(symbols: readonly string[]): Promise<Map<string, PositionMode>>;
  /**
   * Switches every USDT linear symbol of the account to hedge mode; already in hedge mode is
   * success. @throws ExchangeRequestRefusedError when the exchange refuses (e.g. open positions).
   */
  switchToHedgeMode(): Promise<void>;
}

/**
 * Public market data: what any client may read without an API key (Bybit `/v5/market/*`).
 * Given to readers that must not hold an account's secret (the gateway's P&L).
 */
export type MarketDataPort = Pick<ExchangePort, 'markPrices'>;

export interface ApiKeyPermissions {
  readOnly: boolean;
  /** Legwork refuses keys that can withdraw: it needs trading only. */
  canWithdraw: boolean;
  /** May place and manage USDT perpetual orders and positions. */
  canTradeContracts: boolean;
}

export interface MarketOrderRequest {
  symbol: string;
  side: LegSide;
  quantity: string;
  orderLinkId: string;
  reduceOnly: boolean;
  /** The side of a hedge-mode account the order goes to; null (or absent) in one-way mode. */
  hedgeSide?: HedgeSide | null;
}

/**
 * The outcome of sending an order. Only a definitive exchange rejection is `rejected`; a timeout,
 * 5xx, network error, rate limit or duplicate `orderLinkId` is `unknown` and must be settled by
 * looking the order up — never treated as "not placed".
 */
export type PlaceOrderOutcome =
  | { kind: 'accepted'; exchangeOrderId: string }
  | { kind: 'rejected'; code: string; reason: string; permanent: true; exchange?: ExchangeRefusal }
  | { kind: 'unknown'; code: string; reason: string };

/** The exchange's own code and message for a refusal (Bybit V5 `retCode` / `retMsg`). */
export interface ExchangeRefusal {
  retCode: number;
  retMsg: string;
}

export type OrderState = 'open' | 'filled' | 'cancelled' | 'rejected';

export interface OrderView {
  exchangeOrderId: string;
  orderLinkId: string;
  symbol: string;
  side: LegSide;
  state: OrderState;
  quantity: string;
  filledQuantity: string;
  averagePrice: string | null;
  rejectReason: string | null;
}

export interface ExecutionView {
  execId: string;
  exchangeOrderId: string;
  orderLinkId: string;
  symbol: string;
  side: LegSide;
  price: string;
  quantity: string;
  fee: string;
  feeCurrency: string;
  executedAt: Date;
  /** `trade` for ordinary fills; anything else (liquidation, ADL, bust) is the exchange acting. */
  kind: 'trade' | 'exchange_close';
}

export interface PositionView {
  symbol: string;
  /** Which side of a hedge-mode account this row is; null on a one-way account. */
  hedgeSide: HedgeSide | null;
  side: 'long' | 'short' | 'flat';
  /** Absolute size in base coin. */
  size: string;
  entryPrice: string | null;
  markPrice: string | null;
  unrealisedPnlUsdt: string | null;
}

/**
 * The row of `views` for one slot — (symbol, hedge side), hedge side null on a one-way account —
 * or a flat view of that slot when there is none. What the exchange holds in that slot and
 * nothing else: on a hedge-mode account the other side of the symbol is another position.
 */
export function positionSlot(views: readonly PositionView[], symbol: string, hedgeSide: HedgeSide | null): PositionView {
  return (
    views.find((v) => v.symbol === symbol && v.hedgeSide === hedgeSide) ?? {
      symbol,
      hedgeSide,
      side: 'flat',
      size: '0',
      entryPrice: null,
      markPrice: null,
      unrealisedPnlUsdt: null,
    }
  );
}

/** The exchange could not answer a read (network, 5xx, rate limit, timeout). Transient. */
export class ExchangeUnavailableError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExchangeUnavailableError';
  }
}

/** The exchange refused a read for good (auth, permission, bad symbol). */
export class ExchangeRequestRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExchangeRequestRefusedError';
  }
}
