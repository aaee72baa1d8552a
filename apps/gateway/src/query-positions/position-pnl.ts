import Decimal from 'decimal.js';
import { pnlFromFills, PositionStatus } from '@legwork/domain';
import type { PositionFundingRecord, TradeRecord } from '@legwork/persistence';
import type { MarkPriceRead } from './mark-price-cache';
import type { PositionPnl, PositionPnlDetail } from './position.schema';

/** The detail view's P&L before the last scan's figure is added (position-view.ts adds `lastScan`). */
export type PositionPnlOfFills = Omit<PositionPnlDetail, 'lastScan'>;
type Funding = { totalUsdt: string; settlements?: readonly PositionFundingRecord[] };

/** Statuses whose P&L is final: everything Legwork opened for them, it also closed (or unwound). */
const SETTLED: ReadonlySet<PositionStatus> = new Set<PositionStatus>(['CLOSED', 'ROLLED_BACK']);

/** Whether a position's P&L needs current mark prices (it may hold legs and has fills). */
export function needsMarkPrices(status: PositionStatus, trades: readonly TradeRecord[]): boolean {
  return !SETTLED.has(status) && trades.length > 0;
}

/**
 * The P&L a trader reads, from the position's recorded fills (see `pnlFromFills`):
 * - `CLOSED` / `ROLLED_BACK`: `source: "fills"`, realised: Σ sell value − Σ buy value − fees.
 * - any other status with fills: `source: "mark-price"`, what it holds valued at the mark price
 *   read at `markPricesAt` (reused for `GATEWAY_MARK_PRICE_TTL_MS`: `markPricesCached`). When the
 *   mark prices cannot be read, `unrealisedUsdt` and `totalUsdt` are null and
 *   `unavailableReason` says why; the rest of the position is still answered.
 * - no fills yet: null.
 * Funding settled on what the position held (attributed by reconciliation, `attributeFunding`) is
 * its own field, never a fill: `fundingUsdt` (received +, paid −, "0" when none), and `totalUsdt`
 * includes it. `perSymbol` and the settlements (`funding`) only in the detail view.
 */
export function positionPnl(
  status: PositionStatus,
  trades: readonly TradeRecord[],
  marks: MarkPriceRead | null,
  detail: false,
  funding?: Funding,
): PositionPnl | null;
export function positionPnl(
  status: PositionStatus,
  trades: readonly TradeRecord[],
  marks: MarkPriceRead | null,
  detail: true,
  funding?: Funding,
): PositionPnlOfFills | null;
export function positionPnl(
  status: PositionStatus,
  trades: readonly TradeRecord[],
  marks: MarkPriceRead | null,
  detail: boolean,
  funding: Funding = { totalUsdt: '0' },
): PositionPnl | PositionPnlOfFills | null {
  if (trades.length === 0) return null;
  const settled = SETTLED.has(status);
  const prices = !settled && marks?.ok ? marks.prices : new Map<string, string>();
  const pnl = pnlFromFills(
    trades.map((t) => ({ symbol: t.symbol, side: t.side, price: t.price, quantity: t.quantity, feeUsdt: t.fee })),
    prices,
  );
  const unavailableReason = settled
    ? null
    : !marks || !marks.ok
      ? (marks?.reason ?? 'mark prices were not read')
      : pnl.missingPrices.length > 0
        ? `no mark price for ${pnl.missingPrices.join(', ')}`
        : null;
  const fromFills = settled ? pnl.netRealisedUsdt : pnl.totalUsdt;
  return {
    source: settled ? ('fills' as const) : ('mark-price' as const),
    totalUsdt: fromFills === null ? null : new Decimal(fromFills).plus(funding.totalUsdt).toFixed(),
    realisedUsdt: pnl.realisedUsdt,
    unrealisedUsdt: settled ? null : pnl.unrealisedUsdt,
    feesUsdt: pnl.feesUsdt,
    fundingUsdt: new Decimal(funding.totalUsdt).toFixed(),
    markPricesAt: !settled && marks?.ok ? marks.at.toISOString() : null,
    markPricesCached: !settled && marks?.ok ? marks.source === 'cache' : null,
    unavailableReason,
    ...(detail ? { perSymbol: pnl.perSymbol, funding: (funding.settlements ?? []).map(fundingView) } : {}),
  };
}

/** One funding settlement's part, as the API shows it (decimal strings without padding). */
function fundingView(f: PositionFundingRecord) {
  const d = (v: string) => new Decimal(v).toFixed();
  return {
    symbol: f.symbol,
    side: f.side,
    fundingRate: d(f.fundingRate),
    heldQuantity: d(f.heldQuantity),
    positionSize: d(f.positionSize),
    fundingUsdt: d(f.fundingUsdt),
    settledAt: f.settledAt.toISOString(),
  };
}
