// State records of the simulated exchange. Field names follow Bybit's wire names where one
// exists so that rendering stays a formatting step. Times are epoch milliseconds.
import { Dec } from './decimal';

export type Side = 'Buy' | 'Sell';

/** Bybit order statuses (docs/v5/enum.mdx#orderstatus); the simulator only produces Filled. */
export type OrderStatus = 'New' | 'PartiallyFilled' | 'Filled' | 'Rejected' | 'Cancelled' | 'PartiallyFilledCanceled';

/** Who created an order: the user (API or by hand) or the exchange closing a position. */
export type CreateType = 'CreateByUser' | 'CreateByLiq';

/** Bybit execType values the simulator produces (docs/v5/enum.mdx#exectype). */
export type ExecType = 'Trade' | 'BustTrade';

/** A market order after matching (docs/v5/order/open-order.mdx fields). */
export interface Order {
  readonly orderId: string;
  readonly orderLinkId: string;
  readonly symbol: string;
  readonly side: Side;
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
  readonly orderQty: Dec;
  readonly orderPrice: Dec;
  readonly execPrice: Dec;
  readonly execQty: Dec;
  readonly execValue: Dec;
  readonly execFee: Dec;
  readonly feeRate: Dec;
  readonly execType: ExecType;
  readonly markPrice: Dec;
  /** Part of execQty that closed an existing position. */
  readonly closedSize: Dec;
  readonly createType: CreateType;
  readonly execTime: number;
  readonly seq: number;
}

/**
 * A one-way-mode position (positionIdx 0). `size` is signed: > 0 long, < 0 short, 0 flat.
 * `entryPrice` is meaningful only when size ≠ 0.
 */
export interface PositionState {
  readonly symbol: string;
  readonly size: Dec;
  readonly entryPrice: Dec;
  /** Realised PnL (incl. fees) since the position was last opened from flat. */
  readonly curRealisedPnl: Dec;
  /** Realised PnL (incl. fees) of the symbol since the account was created. */
  readonly cumRealisedPnl: Dec;
  readonly createdTime: number;
  readonly updatedTime: number;
  readonly seq: number;
}

/** The position as it was from `time` on; the history of these answers lagged reads. */
export interface PositionSnapshot {
  readonly time: number;
  readonly state: PositionState;
}

/** Extra key permissions shown by /v5/user/query-api (docs/v5/user/apikey-info.mdx). */
export type ApiKeyPermissions = Record<string, string[]>;

/** A simulated Bybit sub-account reachable through one API key. */
export interface AccountState {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** USDT wallet balance: deposits + realised PnL − fees. */
  walletBalance: Dec;
  readonly canWithdraw: boolean;
  readonly permissions: ApiKeyPermissions | undefined;
  readonly createdTime: number;
  readonly userId: number;
  readonly usedOrderLinkIds: Set<string>;
  readonly orders: Order[];
  readonly executions: Execution[];
  readonly positions: Map<string, PositionState>;
  readonly positionHistory: Map<string, PositionSnapshot[]>;
}
