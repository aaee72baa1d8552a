// State records of the simulated exchange. Field names follow Bybit's wire names where one
// exists so that rendering stays a formatting step. Times are epoch milliseconds.
import { Dec } from './decimal';

export type Side = 'Buy' | 'Sell';

/**
 * Bybit order statuses (docs/v5/enum.mdx#orderstatus). The simulator produces Filled, and
 * Cancelled for a market order the book could not fill whole inside its protection price
 * (enum.mdx: "Cancelled: In derivatives, orders with this status may have an executed qty";
 * "PartiallyFilledCanceled: Only spot has this order status").
 */
export type OrderStatus = 'New' | 'PartiallyFilled' | 'Filled' | 'Rejected' | 'Cancelled' | 'PartiallyFilledCanceled';

/**
 * Which position an order, execution or position row belongs to (docs/v5/position/position.mdx
 * `positionIdx`): 0 the one net position of one-way mode, 1 the long (Buy) side and 2 the short
 * (Sell) side of hedge mode.
 */
export type PositionIdx = 0 | 1 | 2;

/**
 * Position mode of one symbol (docs/v5/position/position-mode.mdx): `mode` 0 "Merged Single"
 * (one-way) or 3 "Both Sides" (hedge).
 */
export type PositionMode = 'OneWay' | 'Hedge';

/**
 * Who created an order (docs/v5/enum.mdx#createtype): the user (API or by hand), the user closing
 * a position from the app's position area (`CreateByClosing`), or the exchange closing a position;
 * "" on a Funding execution, which belongs to no order (ccxt 4.5.84 bybit.js parseIncome's row).
 */
export type CreateType = 'CreateByUser' | 'CreateByClosing' | 'CreateByLiq' | '';

/** Bybit execType values the simulator produces (docs/v5/enum.mdx#exectype). */
export type ExecType = 'Trade' | 'BustTrade' | 'Funding';

/** A market order after matching (docs/v5/order/open-order.mdx fields). */
export interface Order {
  readonly orderId: string;
  readonly orderLinkId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly positionIdx: PositionIdx;
  /** Requested qty (after reduce-only clipping, as Bybit shows it). */
  readonly qty: Dec;
  /** The IOC protection price Bybit gives a market order. */
  readonly price: Dec;
  readonly orderStatus: OrderStatus;
  readonly cumExecQty: Dec;
  readonly cumExecValue: Dec;
  readonly cumExecFee: Dec;
  /** Average fill price; undefined without fills. */
  readonly avgPrice: Dec | undefined;
  readonly leavesQty: Dec;
  readonly reduceOnly: boolean;
  readonly closeOnTrigger: boolean;
  readonly createType: CreateType;
  readonly markPriceOnCreated: Dec;
  readonly createdTime: number;
  readonly updatedTime: number;
  /** Global insertion sequence, tie-breaker for ordering. */
  readonly seq: number;
}

/** One fill (docs/v5/order/execution.mdx fields). */
export interface Execution {
  readonly execId: string;
  readonly orderId: string;
  readonly orderLinkId: string;
  readonly symbol: string;
  readonly side: Side;
  /** Not on Bybit's execution rows (docs/v5/order/execution.mdx); kept for the control API. */
  readonly positionIdx: PositionIdx;
  readonly orderQty: Dec;
  readonly orderPrice: Dec;
  readonly execPrice: Dec;
  readonly execQty: Dec;
  readonly execValue: Dec;
  /** Taker fee; on a Funding execution the funding fee: > 0 paid, < 0 received. */
  readonly execFee: Dec;
  /** Taker fee rate; on a Funding execution the funding rate. */
  readonly feeRate: Dec;
  /** Qty of the order still open after this execution (what the IOC then cancels). */
  readonly leavesQty: Dec;
  readonly execType: ExecType;
  readonly markPrice: Dec;
  /** Part of execQty that closed an existing position. */
  readonly closedSize: Dec;
  readonly createType: CreateType;
  /** When it executed (epoch ms, the simulated clock); the wire sends it as a string. */
  readonly execTime: number;
  /** Bybit's cross sequence, see {@link CrossSeq}. */
  readonly seq: CrossSeq;
  /** Insertion order across the whole exchange: the tie-breaker of listings (not on the wire). */
  readonly ordinal: number;
}

/**
 * Bybit's cross sequence `seq` (docs/v5/order/execution.mdx, position/position.mdx: "used to
 * associate each fill and each position update"; "the same when conclude multiple transactions at
 * the same time"; unique per symbol + seq; -1 on a position whose symbol never traded). Here it
 * counts per (account, symbol) from 1: every order that fills, forced close and funding settlement
 * takes the next value, all executions of one order share it, and the position row that includes
 * them carries it — so `position.seq >= execution.seq` means "this position includes that fill".
 */
export type CrossSeq = number;

/** Bybit transaction-log `type` values the simulator writes (docs/v5/enum.mdx#type-uta-translog). */
export type TransactionType = 'TRADE' | 'SETTLEMENT' | 'LIQUIDATION';

/**
 * One wallet movement (docs/v5/account/transaction-log.mdx): a fill (TRADE, LIQUIDATION for a
 * forced close) or a funding settlement (SETTLEMENT). `change` = cashFlow + funding − fee is what
 * the wallet moved by; `cashBalance` is the wallet balance after it.
 */
export interface TransactionLogEntry {
  readonly id: string;
  readonly symbol: string;
  /** The order's side for a fill; the position's side for a settlement (the doc's example). */
  readonly side: Side;
  readonly type: TransactionType;
  readonly transactionTime: number;
  readonly qty: Dec;
  /** Signed position size after the entry (> 0 long, < 0 short). */
  readonly size: Dec;
  readonly tradePrice: Dec;
  /** Funding cash flow of a settlement: < 0 paid, > 0 received; undefined on fills. */
  readonly funding: Dec | undefined;
  readonly fee: Dec;
  /** Realised PnL of a fill before fees; 0 on settlements. */
  readonly cashFlow: Dec;
  readonly change: Dec;
  readonly cashBalance: Dec;
  readonly feeRate: Dec;
  readonly tradeId: string;
  readonly orderId: string;
  readonly orderLinkId: string;
  /** Insertion order across the exchange (the execution's ordinal): tie-breaker of the listing. */
  readonly ordinal: number;
}

/**
 * One position of a symbol: the net one of one-way mode (positionIdx 0) or one side of hedge
 * mode (1 long, 2 short). `size` is signed: > 0 long, < 0 short, 0 flat; a hedge side never
 * crosses zero (its closing orders are clipped). `entryPrice` is meaningful only when size ≠ 0.
 */
export interface PositionState {
  readonly symbol: string;
  readonly positionIdx: PositionIdx;
  readonly size: Dec;
  readonly entryPrice: Dec;
  /** Realised PnL (incl. fees and funding) since the position was last opened from flat. */
  readonly curRealisedPnl: Dec;
  /** Realised PnL (incl. fees and funding) of the symbol since the account was created. */
  readonly cumRealisedPnl: Dec;
  readonly createdTime: number;
  readonly updatedTime: number;
  /** {@link CrossSeq} of the last fill or funding settlement included; -1 while the symbol never traded. */
  readonly seq: CrossSeq;
}

/** The position as it was from `time` on; the history of these answers lagged reads. */
export interface PositionSnapshot {
  readonly time: number;
  readonly state: PositionState;
}

/** Extra key permissions shown by /v5/user/query-api (docs/v5/user/apikey-info.mdx). */
export type ApiKeyPermissions = Record<string, string[]>;

/** One API key of an account; a revoked key authenticates nothing (answered 10003). */
export interface ApiKeyState {
  readonly apiSecret: string;
  revoked: boolean;
}

/** Buy (long) and Sell (short) leverage of one symbol (docs/v5/position/leverage.mdx). */
export interface LeverageSetting {
  readonly buyLeverage: Dec;
  readonly sellLeverage: Dec;
}

/**
 * A simulated Bybit sub-account. `apiKey` (the key it was created with) is its identity in the
 * control API, faults and state, whatever keys were added or revoked since.
 */
export interface AccountState {
  readonly apiKey: string;
  /** Every key the account was given, by key; the first is `apiKey`. */
  readonly apiKeys: Map<string, ApiKeyState>;
  /** USDT wallet balance: deposits + realised PnL − fees. */
  walletBalance: Dec;
  readonly canWithdraw: boolean;
  readonly permissions: ApiKeyPermissions | undefined;
  readonly createdTime: number;
  readonly userId: number;
  readonly usedOrderLinkIds: Set<string>;
  readonly orders: Order[];
  readonly executions: Execution[];
  /** Wallet movements, oldest first (transaction-log.mdx). */
  readonly transactionLog: TransactionLogEntry[];
  /** Current positions by {@link positionKey}. */
  readonly positions: Map<string, PositionState>;
  /** Snapshots by {@link positionKey}. */
  readonly positionHistory: Map<string, PositionSnapshot[]>;
  /** Mode of every listed symbol. */
  readonly positionModes: Map<string, PositionMode>;
  /** Leverage of every listed symbol, starting at the account's default. */
  readonly leverages: Map<string, LeverageSetting>;
  /** The last {@link CrossSeq} given out per symbol (absent: never traded). */
  readonly crossSeqs: Map<string, CrossSeq>;
}

/** Key of a position in {@link AccountState.positions}: "BTCUSDT/0", "BTCUSDT/1", … */
export function positionKey(symbol: string, positionIdx: PositionIdx): string {
  return `${symbol}/${positionIdx}`;
}
