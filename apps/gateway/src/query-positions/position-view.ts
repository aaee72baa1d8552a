import Decimal from 'decimal.js';
import type { AcquiredAndMissing } from '@legwork/domain';
import type {
  OrderRecord,
  PositionComponentRecord,
  PositionDeviationRecord,
  PositionPnlRecord,
  PositionRecord,
  PositionStatusChangeRecord,
  TradeRecord,
} from '@legwork/persistence';
import type { PositionPnlOfFills } from './position-pnl';
import type { executionQualityView } from './execution-quality-view';
import type { PositionDetail, PositionSummary } from './position.schema';

/** A NUMERIC column as the API shows it: plain notation, no trailing zeros ("0.0060000000" → "0.006"). */
function d(value: string): string;
function d(value: string | null): string | null;
function d(value: string | null): string | null {
  return value === null ? null : new Decimal(value).toFixed();
}

/** Everything a position's detail view is made of. */
export interface PositionParts {
  orders: OrderRecord[];
  trades: TradeRecord[];
  components: PositionComponentRecord[];
  history: PositionStatusChangeRecord[];
  deviations: PositionDeviationRecord[];
  /** Reconciliation's P&L recorded at the last scan (on the originally opened quantities). */
  scanPnl: PositionPnlRecord | null;
  /** The live P&L from fills and mark prices (`positionPnl`, detail form). */
  pnl: PositionPnlOfFills | null;
  composition: AcquiredAndMissing | null;
  /** The open basket's execution quality ({@link executionQualityView}); null until an open leg filled. */
  executionQuality: ReturnType<typeof executionQualityView>;
}

/** The API shape of a position (decimal strings for every quantity and amount); `pnl` from `positionPnl` (list form). */
export function positionSummary(p: PositionRecord, pnl: PositionSummary['pnl']): PositionSummary {
  return { ...positionFields(p), pnl };
}

/** The fields the list and the detail share (every one but `pnl`). */
function positionFields(p: PositionRecord): Omit<PositionSummary, 'pnl'> {
  return {
    id: p.id,
    status: p.status,
    health: p.health,
    alteredSince: p.alteredSince?.toISOString() ?? null,
    indexId: p.indexId,
    accountId: p.accountId,
    /** The account's position mode when accepted: `hedge` legs live on the long or short side. */
    positionMode: p.positionMode,
    direction: p.direction,
    notionalUsdt: d(p.notionalUsdt),
    onPartialFailure: p.onPartialFailure,
    /** How the open basket's legs are sent (`sequential` | `batch`), as resolved at acceptance. */
    legging: p.legging,
    failure: p.failureCode ? { code: p.failureCode, reason: p.failureReason } : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/**
 * Full detail: legs (every order we sent) with their fills, the component snapshot, the status
 * history, deviations from the exchange (open and cleared), P&L (live, with the last scan's figure
 * on the opened quantities as `pnl.lastScan`), and for a failed basket which components were
 * acquired and which are missing, and the open basket's execution quality (slippage against the
 * arrival mark, implementation shortfall, legging window).
 */
export function positionDetail(
  p: PositionRecord,
  { orders, trades, components, history, deviations, scanPnl, pnl, composition, executionQuality }: PositionParts,
): PositionDetail {
  const lastScan = scanPnl
    ? {
        pnlUsdt: d(scanPnl.pnlUsdt),
        perLeg: scanPnl.perLeg,
        missingPrices: scanPnl.missingPrices,
        computedAt: scanPnl.computedAt.toISOString(),
      }
    : null;
  const summary = positionFields(p);
  // The exchange's own words for the refusal that halted the basket, as fields, when it gave them
  // (detail view only: they live on the leg's order).
  const halting =
    p.failureCode === 'EXECUTION.LEG_REJECTED' ? orders.find((o) => o.purpose === 'open' && o.status === 'REJECTED') : undefined;
  return {
    ...summary,
    failure: summary.failure && halting?.rejectExchange ? { ...summary.failure, exchange: halting.rejectExchange } : summary.failure,
    pnl: pnl ? { ...pnl, lastScan } : null,
    legs: orders.map((o) => ({
      purpose: o.purpose,
      legIndex: o.legIndex,
      symbol: o.symbol,
      side: o.side,
      quantity: d(o.quantity),
      reduceOnly: o.reduceOnly,
      hedgeSide: o.hedgeSide,
      orderLinkId: o.orderLinkId,
      exchangeOrderId: o.exchangeOrderId,
      status: o.status,
      filledQuantity: d(o.filledQuantity),
      averagePrice: d(o.averagePrice),
      reject: o.rejectCode ? { code: o.rejectCode, reason: o.rejectReason, exchange: o.rejectExchange } : null,
      unwindOutcome: o.unwindOutcome,
      note: o.status === 'SKIPPED' || o.status === 'UNCONFIRMED' ? o.rejectReason : null,
      fills: trades
        .filter((t) => t.orderId === o.id)
        .map((t) => ({
          execId: t.execId,
          price: d(t.price),
          quantity: d(t.quantity),
          fee: d(t.fee),
          feeCurrency: t.feeCurrency,
          executedAt: t.executedAt.toISOString(),
        })),
    })),
    components: components.map((c) => ({
      legIndex: c.legIndex,
      symbol: c.symbol,
      side: c.side,
      expectedQuantity: d(c.expectedQuantity),
      entryPrice: d(c.entryPrice),
    })),
    history: history.map((h) => ({ from: h.fromStatus, to: h.toStatus, reason: h.reason, at: h.changedAt.toISOString() })),
    deviations: deviations.map((dev) => ({
      symbol: dev.symbol,
      kind: dev.kind,
      expected: d(dev.expectedQuantity),
      actual: d(dev.actualQuantity),
      delta: d(dev.delta),
      expectedLeverage: d(dev.expectedLeverage),
      actualLeverage: d(dev.actualLeverage),
      sharedWith: dev.sharedWith,
      explanation: dev.explanation,
      firstSeenAt: dev.firstSeenAt.toISOString(),
      lastSeenAt: dev.lastSeenAt.toISOString(),
      clearedAt: dev.clearedAt?.toISOString() ?? null,
    })),
    composition,
    executionQuality,
  };
}
