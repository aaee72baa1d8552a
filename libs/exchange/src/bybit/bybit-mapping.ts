import Decimal from 'decimal.js';
import type { HedgeSide, InstrumentRules, InstrumentStatus, LegSide } from '@legwork/domain';
import type { ApiKeyPermissions, ExecutionView, OrderState, OrderView, PositionView } from '../exchange.port';

/**
 * Bybit V5 raw rows (as ccxt keeps them in `.info`) → Legwork's exchange views. Bybit vocabulary
 * ("Buy", "PartiallyFilledCanceled", "BustTrade") stops here. Numbers stay decimal strings.
 */

type Raw = Record<string, unknown>;

const str = (row: Raw, key: string): string => {
  const v = row[key];
  return v === undefined || v === null ? '' : String(v);
};
const dec = (row: Raw, key: string): string => {
  const v = str(row, key);
  return v === '' ? '0' : new Decimal(v).toString();
};
/** Bybit reports "0" or "" for "no price yet". */
const priceOrNull = (row: Raw, key: string): string | null => {
  const v = str(row, key);
  return v === '' || new Decimal(v).isZero() ? null : new Decimal(v).toString();
};

/** "Buy" | "Sell" → buy | sell. @throws Error for anything else. */
export function sideFromBybit(side: string): LegSide {
  if (side === 'Buy') return 'buy';
  if (side === 'Sell') return 'sell';
  throw new Error(`unexpected Bybit side: ${side}`);
}

export function sideToBybit(side: LegSide): 'Buy' | 'Sell' {
  return side === 'buy' ? 'Buy' : 'Sell';
}

/**
 * instruments-info `status` (docs/v5/enum.mdx#status: PreLaunch, Trading, Settling, Delivering,
 * Closed) → status; anything else is `other`, which is not trading.
 */
export function instrumentStatusFromBybit(status: string): InstrumentStatus {
  switch (status) {
    case 'Trading':
      return 'trading';
    case 'PreLaunch':
      return 'pre_launch';
    case 'Settling':
      return 'settling';
    case 'Delivering':
      return 'delivering';
    case 'Closed':
      return 'closed';
    default:
      return 'other';
  }
}

/** The linear `status` values other than Trading, which instruments-info lists only when asked. */
export const BYBIT_NON_TRADING_STATUSES = ['PreLaunch', 'Settling', 'Delivering', 'Closed'] as const;

/** An instruments-info row (docs/v5/market/instrument.mdx) → status and lot-size rules. */
export function instrumentRulesFromBybit(row: Raw): InstrumentRules {
  const lot = (row['lotSizeFilter'] ?? {}) as Raw;
  return {
    symbol: str(row, 'symbol'),
    status: instrumentStatusFromBybit(str(row, 'status')),
    qtyStep: dec(lot, 'qtyStep'),
    minOrderQty: dec(lot, 'minOrderQty'),
    maxMarketOrderQty: dec(lot, 'maxMktOrderQty'),
    minNotionalUsdt: dec(lot, 'minNotionalValue'),
  };
}

/**
 * `orderStatus` (docs/v5/enum.mdx#orderstatus) → state. A cancelled market order may still have
 * filled partly (`PartiallyFilledCanceled`): its `filledQuantity` says so.
 */
export function orderStateFromBybit(status: string): OrderState {
  switch (status) {
    case 'Filled':
      return 'filled';
    case 'Rejected':
      return 'rejected';
    case 'Cancelled':
    case 'PartiallyFilledCanceled':
    case 'Deactivated':
      return 'cancelled';
    default: // Created, New, PartiallyFilled, Untriggered, Triggered
      return 'open';
  }
}

/** A row of /v5/order/realtime or /v5/order/history (docs/v5/order/open-order.mdx, order-list.mdx). */
export function orderViewFromBybit(row: Raw): OrderView {
  const reject = str(row, 'rejectReason');
  return {
    exchangeOrderId: str(row, 'orderId'),
    orderLinkId: str(row, 'orderLinkId'),
    symbol: str(row, 'symbol'),
    side: sideFromBybit(str(row, 'side')),
    state: orderStateFromBybit(str(row, 'orderStatus')),
    quantity: dec(row, 'qty'),
    filledQuantity: dec(row, 'cumExecQty'),
    averagePrice: priceOrNull(row, 'avgPrice'),
    rejectReason: reject === '' || reject === 'EC_NoError' ? null : reject,
  };
}

/** execType values that are the exchange closing a position, not an order of the account's. */
const EXCHANGE_CLOSE_TYPES = new Set(['BustTrade', 'AdlTrade', 'Delivery', 'SessionSettlePnL']);

/**
 * A row of /v5/execution/list (docs/v5/order/execution.mdx) → execution, or null for rows that
 * move no position (e.g. `Funding`).
 */
export function executionViewFromBybit(row: Raw): ExecutionView | null {
  const execType = str(row, 'execType');
  if (execType !== 'Trade' && !EXCHANGE_CLOSE_TYPES.has(execType)) return null;
  return {
    execId: str(row, 'execId'),
    exchangeOrderId: str(row, 'orderId'),
    orderLinkId: str(row, 'orderLinkId'),
    symbol: str(row, 'symbol'),
    side: sideFromBybit(str(row, 'side')),
    price: dec(row, 'execPrice'),
    quantity: dec(row, 'execQty'),
    fee: dec(row, 'execFee'),
    feeCurrency: str(row, 'feeCurrency') || 'USDT',
    executedAt: new Date(Number(str(row, 'execTime'))),
    kind: execType === 'Trade' ? 'trade' : 'exchange_close',
  };
}

/**
 * A row of /v5/position/list (docs/v5/position/position.mdx). `positionIdx` says which position
 * of the symbol the row is: 0 one-way mode, 1 the long side and 2 the short side of a hedge-mode
 * account ("0: One-Way Mode; 1: Buy side of both side mode; 2: Sell side of both side mode", same page).
 * `leverage` as Bybit states it ("10").
 * @throws Error for any other `positionIdx`: a row we cannot place is not guessed at.
 */
export function positionViewFromBybit(row: Raw): PositionView {
  const size = dec(row, 'size');
  const side = str(row, 'side');
  return {
    symbol: str(row, 'symbol'),
    hedgeSide: hedgeSideFromPositionIdx(row['positionIdx']),
    side: new Decimal(size).isZero() ? 'flat' : side === 'Buy' ? 'long' : side === 'Sell' ? 'short' : 'flat',
    size,
    entryPrice: priceOrNull(row, 'avgPrice'),
    markPrice: priceOrNull(row, 'markPrice'),
    unrealisedPnlUsdt: str(row, 'unrealisedPnl') === '' ? null : dec(row, 'unrealisedPnl'),
    leverage: str(row, 'leverage') === '' ? null : dec(row, 'leverage'),
  };
}

/** `positionIdx` 0 (or absent) → null (one-way), 1 → long side, 2 → short side. @throws Error otherwise. */
export function hedgeSideFromPositionIdx(positionIdx: unknown): HedgeSide | null {
  const idx = positionIdx === undefined || positionIdx === null || positionIdx === '' ? 0 : Number(positionIdx);
  if (idx === 0) return null;
  if (idx === 1) return 'long';
  if (idx === 2) return 'short';
  throw new Error(`unexpected Bybit positionIdx: ${String(positionIdx)}`);
}

/** Signed size: long positive, short negative, flat zero (for before/after deltas). */
export function signedSize(position: PositionView | undefined): Decimal {
  if (!position || position.side === 'flat') return new Decimal(0);
  return position.side === 'long' ? new Decimal(position.size) : new Decimal(position.size).neg();
}

/**
 * /v5/user/query-api `result` (docs/v5/user/apikey-info.mdx) → permissions. `readOnly` 1 = read
 * only; `Wallet` containing `Withdraw` = can withdraw; contract trading is `ContractTrade`
 * [Order, Position] (classic) or `Derivatives` [DerivativesTrade] (unified trading account).
 */
export function apiKeyPermissionsFromBybit(result: Raw): ApiKeyPermissions {
  const permissions = (result['permissions'] ?? {}) as Record<string, unknown>;
  const list = (key: string) => (Array.isArray(permissions[key]) ? (permissions[key] as unknown[]).map(String) : []);
  const contract = list('ContractTrade');
  return {
    readOnly: Number(result['readOnly']) === 1,
    canWithdraw: list('Wallet').includes('Withdraw'),
    canTradeContracts: (contract.includes('Order') && contract.includes('Position')) || list('Derivatives').includes('DerivativesTrade'),
  };
}
