import Decimal from 'decimal.js';
import { driftCauseFromBybit } from './drift-cause';
import type { HedgeSide, InstrumentRules, InstrumentStatus, LegSide } from '@legwork/domain';
import type {
  ApiKeyPermissions,
  ExecutionKind,
  ExecutionView,
  MaintenanceWindow,
  OrderState,
  OrderView,
  PositionView,
} from '../exchange.port';

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

/**
 * `execType` (docs/v5/enum.mdx#exectype) → what the row is. `Trade` fills an order of the account.
 * `BustTrade` (liquidation), `AdlTrade` (auto-deleveraging), `Delivery` and `Settle` (a contract
 * delivered or delisted) and `SessionSettlePnL` are the exchange closing a position. `Funding` is
 * a funding settlement on a held position (execQty = the position's size, execFee = the funding
 * paid, positive, or received, negative, feeRate = the funding rate). Anything else (`BlockTrade`,
 * `MovePosition`, `FutureSpread`, `UNKNOWN`, …) is not an order of Legwork's, not the exchange
 * closing, not funding: no kind, so the row is left out (a position it moved is a drift that
 * reconciliation flags from the position list).
 */
export function executionKindFromBybit(execType: string): ExecutionKind | null {
  switch (execType) {
    case 'Trade':
      return 'trade';
    case 'Funding':
      return 'funding';
    case 'BustTrade':
    case 'AdlTrade':
    case 'Delivery':
    case 'Settle':
    case 'SessionSettlePnL':
      return 'exchange_close';
    default:
      return null;
  }
}

/**
 * A row of /v5/execution/list (docs/v5/order/execution.mdx) → execution of the kind its `execType`
 * says ({@link executionKindFromBybit}), or null for rows of no kind Legwork reads.
 *
 * A `Funding` row's `side` is the side opposite to the position charged (a long shows `Sell`):
 * not stated by the docs, but the only reading of Bybit's own Funding example
 * (docs/v5/pre-upgrade/execution.mdx: side Sell, feeRate +0.00203714, execFee +0.6364003 — paid
 * at a positive rate, so a long) and of ccxt's recorded one (bybit.js `parseIncome`: side Sell,
 * feeRate −0.000761, execFee −0.10232512 — received at a negative rate, so a long). The view's
 * `side` of a funding execution is the POSITION's side (buy = long), so no reader flips it again.
 */
export function executionViewFromBybit(row: Raw): ExecutionView | null {
  const kind = executionKindFromBybit(str(row, 'execType'));
  if (kind === null) return null;
  const side = sideFromBybit(str(row, 'side'));
  return {
    execId: str(row, 'execId'),
    exchangeOrderId: str(row, 'orderId'),
    orderLinkId: str(row, 'orderLinkId'),
    symbol: str(row, 'symbol'),
    side: kind === 'funding' ? (side === 'buy' ? 'sell' : 'buy') : side,
    price: dec(row, 'execPrice'),
    quantity: dec(row, 'execQty'),
    fee: dec(row, 'execFee'),
    feeCurrency: str(row, 'feeCurrency') || 'USDT',
    feeRate: dec(row, 'feeRate'),
    executedAt: new Date(Number(str(row, 'execTime'))),
    kind,
    driftCause: driftCauseFromBybit(str(row, 'execType'), str(row, 'createType')),
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
    ...(Number(str(row, 'updatedTime')) > 0 ? { updatedAtMs: Number(str(row, 'updatedTime')) } : {}),
    ...(str(row, 'cumRealisedPnl') === '' ? {} : { cumRealisedPnlUsdt: dec(row, 'cumRealisedPnl') }),
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

/** Bybit's product number of futures and perpetuals in a maintenance window (docs/v5/enum.mdx#product: 1 Futures, 2 Spot, 3 Option, 4 Spread). */
const BYBIT_PRODUCT_FUTURES = 1;
const MAINTENANCE_STATES = new Set(['scheduled', 'ongoing', 'completed', 'canceled']);

/**
 * A row of /v5/system/status `result.list` (docs/v5/system-status.mdx; `state` per
 * docs/v5/enum.mdx#state: scheduled, ongoing, completed, canceled) → window. A window with no
 * `product` list is taken to affect every product: a maintenance is never assumed away.
 */
export function maintenanceWindowFromBybit(row: Raw): MaintenanceWindow {
  const state = str(row, 'state');
  const products = Array.isArray(row['product']) ? (row['product'] as unknown[]).map(Number) : [];
  return {
    id: str(row, 'id'),
    title: str(row, 'title'),
    state: MAINTENANCE_STATES.has(state) ? (state as MaintenanceWindow['state']) : 'other',
    beginsAt: new Date(Number(str(row, 'begin'))),
    endsAt: new Date(Number(str(row, 'end'))),
    affectsPerpetuals: products.length === 0 || products.includes(BYBIT_PRODUCT_FUTURES),
    url: str(row, 'href') || null,
  };
}
