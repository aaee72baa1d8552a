import type { HedgeSide, InstrumentRules, LegSide, PositionMode } from '@legwork/domain';
import type { ExchangeErrorCode } from './exchange-error-codes';
import type { DriftCause } from './bybit/drift-cause';

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
  /**
   * Sends market orders together: Bybit POST /v5/order/create-batch (docs/v5/order/batch-place.mdx,
   * at most {@link BYBIT_BATCH_MAX_LINEAR_ORDERS} linear orders a request; more are sent as several
   * requests, one after the other, in order). One outcome per request, in request order; never
   * throws for exchange answers — see {@link BatchOrderOutcome}.
   */
  placeMarketOrders(requests: readonly MarketOrderRequest[]): Promise<BatchOrderOutcome[]>;
  /** The order with this `orderLinkId`, open or closed, or null when the exchange has none (yet). */
  findOrder(symbol: string, orderLinkId: string): Promise<OrderView | null>;
  /**
   * Executions of one order (by `orderLinkId`), or of a symbol since a time; `symbol` null: of
   * every linear symbol (Bybit's `symbol` is optional on /v5/execution/list, docs/v5/order/execution.mdx).
   * `execType` asks the exchange for one kind only (`Funding`: the settlements, whatever the
   * number of fills beside them; Bybit's `execType` filter of /v5/execution/list).
   */
  executions(symbol: string | null, filter: { orderLinkId: string } | { since: Date; execType?: 'Funding' }): Promise<ExecutionView[]>;
  /**
   * Open positions. With `symbols`: every row the exchange lists for each asked symbol (one-way
   * account: one; hedge-mode account: two, the long and the short side, flat or not), and a flat
   * one-way view for an asked symbol the exchange lists nothing for. Pick one side with
   * {@link positionSlot}.
   */
  positions(symbols?: readonly string[]): Promise<PositionView[]>;
  /**
   * The position rows of each symbol (hedge mode: one per side), flat ones included, with the
   * symbol's leverage: one read per symbol (`/v5/position/list?symbol=`), which Bybit answers even
   * for a flat position — the list by settle coin leaves flat symbols out, and with them the
   * leverage a next order would use. @throws ExchangeUnavailableError when a symbol has no row.
   */
  positionsBySymbol(symbols: readonly string[]): Promise<PositionView[]>;
  /**
   * Sets the symbol's leverage (buy and sell alike; one-way mode), e.g. `"1"`. Never throws for
   * exchange answers — see {@link SetLeverageOutcome}. ccxt `setLeverage` → POST
   * /v5/position/set-leverage (docs/v5/position/leverage.mdx).
   */
  setLeverage(symbol: string, leverage: string): Promise<SetLeverageOutcome>;
  /**
   * The exchange's maintenance windows as its status page lists them (scheduled, ongoing, recently
   * completed); public, no key. ccxt's `fetchStatus` endpoint, GET /v5/system/status
   * (docs/v5/system-status.mdx), read raw for the window's times and products. Pick the one in
   * force with {@link maintenanceInForce}.
   */
  maintenanceWindows(): Promise<MaintenanceWindow[]>;
  /**
   * What a new order may use now, USDT, a decimal string: the UNIFIED account's
   * `totalAvailableBalance` of GET /v5/account/wallet-balance (docs/v5/account/wallet-balance.mdx;
   * the endpoint of ccxt's `fetchBalance`, read raw to keep Bybit's exact decimals). Used by the
   * whole-basket margin pre-check. @throws ExchangeUnavailableError when it cannot be read.
   */
  availableBalance(): Promise<string>;
  /** What this API key may do (checked before Legwork stores a key). */
  apiKeyPermissions(): Promise<ApiKeyPermissions>;
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

/** One maintenance window of the exchange (times as the exchange states them). */
export interface MaintenanceWindow {
  id: string;
  title: string;
  state: 'scheduled' | 'ongoing' | 'completed' | 'canceled' | 'other';
  beginsAt: Date;
  /** Expected end while scheduled or ongoing; the actual end once completed. */
  endsAt: Date;
  /** False only when the window names its products and USDT perpetuals are not among them. */
  affectsPerpetuals: boolean;
  /** The exchange's announcement, when it gives one. */
  url: string | null;
}

/**
 * The window that stops perpetual trading at `now`, or null: one the exchange calls `ongoing`, or
 * one still `scheduled` whose time has come (the status page may lag its own schedule). When
 * several, the one ending last (the basket would wait for all of them).
 */
export function maintenanceInForce(windows: readonly MaintenanceWindow[], now: Date): MaintenanceWindow | null {
  const t = now.getTime();
  const inForce = windows.filter(
    (w) =>
      w.affectsPerpetuals && (w.state === 'ongoing' || (w.state === 'scheduled' && w.beginsAt.getTime() <= t && t < w.endsAt.getTime())),
  );
  return inForce.reduce<MaintenanceWindow | null>((last, w) => (last === null || w.endsAt > last.endsAt ? w : last), null);
}

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
  | { kind: 'rejected'; code: ExchangeErrorCode; reason: string; permanent: true; exchange?: ExchangeRefusal }
  | { kind: 'unknown'; code: ExchangeErrorCode; reason: string };

/**
 * Orders a create-batch request may hold for linear contracts: 20 since Bybit's docs commit "20
 * batch orders" (2025-02-20, docs/v5/order/batch-place.mdx); the rate-limit page still says 10.
 */
export const BYBIT_BATCH_MAX_LINEAR_ORDERS = 20;

/**
 * The outcome of one order of a create-batch request, classified in one place
 * (`batchOrderOutcome` / `batchOutcomesFromError`, exchange-outcome.ts):
 * - `accepted`: placed (an acceptance only, no status: look it up by `orderLinkId` to verify);
 * - `rejected`: the exchange refused this order for good (its own retCode and message);
 * - `duplicate`: 110072, the `orderLinkId` was used before: the order exists, settle it by `orderLinkId`;
 * - `not_placed`: this order alone was refused for now (10006, past the account's batch budget):
 *   nothing was placed, send it again (alone) with the same `orderLinkId`;
 * - `unknown`: the request as a whole failed or timed out (or the entry's answer is ambiguous):
 *   the order may exist; settle it by `orderLinkId`, never read it as "not placed".
 */
export type BatchOrderOutcome =
  | PlaceOrderOutcome
  | { kind: 'duplicate'; code: ExchangeErrorCode; reason: string }
  | { kind: 'not_placed'; code: ExchangeErrorCode; reason: string };

/** The exchange's own code and message for a refusal (Bybit V5 `retCode` / `retMsg`). */
export interface ExchangeRefusal {
  retCode: number;
  retMsg: string;
}

/**
 * The outcome of setting a symbol's leverage. `not_modified` (the symbol already had it) is a
 * success. `refused` is the exchange's definitive no (with Bybit's `retCode` and message, e.g. a
 * wallet that cannot cover the margin of an open position at the lower leverage); `unavailable`
 * is a transport failure or an ambiguous answer: the leverage may or may not have changed, read
 * it back or retry. Classified in one place: `setLeverageOutcomeFromError` (exchange-outcome.ts).
 */
export type SetLeverageOutcome =
  | { kind: 'set' }
  | { kind: 'not_modified' }
  | { kind: 'refused'; code: ExchangeErrorCode; retCode: number | null; reason: string }
  | { kind: 'unavailable'; code: ExchangeErrorCode; reason: string };

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
  /**
   * The fee rate Bybit states for the row (`feeRate`, signed decimal string; "0" when absent): a
   * trading fee rate for a fill, the funding rate for a funding settlement.
   */
  feeRate: string;
  kind: ExecutionKind;
  /**
   * What the row says moved the position (`driftCauseFromBybit` of its `execType` and
   * `createType`), as the exchange mapping reads it; null for funding or a kind Legwork does not
   * read; absent in views not read from the exchange.
   */
  driftCause?: DriftCause | null;
}

/**
 * What an execution row is, decided once in the mapping (`executionViewFromBybit`):
 * - `trade`: an order of the account filled — the only kind that is a leg's fill;
 * - `exchange_close`: the exchange itself moved the position (liquidation, ADL, bust, delivery);
 * - `funding`: a funding settlement on a held position. It moves no position and fills no order:
 *   `quantity` is the position size it was charged on, `fee` the funding paid (positive) or
 *   received (negative) in USDT, `feeRate` the funding rate, `side` the side of the position
 *   charged (buy = long; the mapping turns Bybit's opposite-side row round).
 *   It is never a fill, never evidence of a closed position, never an order's origin.
 */
export type ExecutionKind = 'trade' | 'exchange_close' | 'funding';

/** True for an execution that filled one of the account's orders (the only rows a leg records). */
export function isOrderFill(execution: ExecutionView): boolean {
  return execution.kind === 'trade';
}

/** True for a funding settlement on a held position (never a fill; P&L shows it apart). */
export function isFundingSettlement(execution: ExecutionView): boolean {
  return execution.kind === 'funding';
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
  /** The symbol's leverage as the exchange reports it (`"10"`), flat or not; null when not reported. */
  leverage: string | null;
  /**
   * When the exchange last changed this position, epoch ms (Bybit `/v5/position/list`
   * `updatedTime`, the clock of the execution times); absent when not reported. A lagging list
   * shows an earlier state with that state's time.
   */
  updatedAtMs?: number;
  /**
   * The position's cumulative realised P&L in USDT (Bybit `cumRealisedPnl`, trading and funding
   * fees included), decimal string; absent when not reported.
   */
  cumRealisedPnlUsdt?: string;
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
      leverage: null,
    }
  );
}

/** The exchange could not answer a read (network, 5xx, rate limit, timeout). Transient. */
export class ExchangeUnavailableError extends Error {
  constructor(
    readonly code: ExchangeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExchangeUnavailableError';
  }
}

/** The exchange refused a read for good (auth, permission, bad symbol). */
export class ExchangeRequestRefusedError extends Error {
  constructor(
    readonly code: ExchangeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExchangeRequestRefusedError';
  }
}

/**
 * The account's position mode per symbol from its position rows (`positionsBySymbol`, which lists
 * every symbol asked, flat or not): a row on a hedge side (Bybit `positionIdx` 1/2) means hedge
 * mode, otherwise one-way (docs/v5/position/position.mdx). A symbol without rows is absent.
 */
export function positionModesOf(views: readonly PositionView[]): Map<string, PositionMode> {
  const modes = new Map<string, PositionMode>();
  for (const view of views) if (modes.get(view.symbol) !== 'hedge') modes.set(view.symbol, view.hedgeSide === null ? 'one_way' : 'hedge');
  return modes;
}
