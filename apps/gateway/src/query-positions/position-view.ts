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
  pnl: PositionPnlRecord | null;
  composition: AcquiredAndMissing | null;
}

/** The API shape of a position (decimal strings for every quantity and amount). */
export function positionSummary(p: PositionRecord) {
  return {
    id: p.id,
    status: p.status,
    health: p.health,
    alteredSince: p.alteredSince?.toISOString() ?? null,
    indexId: p.indexId,
    accountId: p.accountId,
    direction: p.direction,
    notionalUsdt: d(p.notionalUsdt),
    onPartialFailure: p.onPartialFailure,
    failure: p.failureCode ? { code: p.failureCode, reason: p.failureReason } : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/**
 * Full detail: legs (every order we sent) with their fills, the component snapshot, the status
 * history, deviations from the exchange (open and cleared), P&L on the opened quantities, and for
 * a failed basket which components were acquired and which are missing.
 */
export function positionDetail(p: PositionRecord, { orders, trades, components, history, deviations, pnl, composition }: PositionParts) {
  return {
    ...positionSummary(p),
    legs: orders.map((o) => ({
      purpose: o.purpose,
      legIndex: o.legIndex,
      symbol: o.symbol,
      side: o.side,
      quantity: d(o.quantity),
      reduceOnly: o.reduceOnly,
      orderLinkId: o.orderLinkId,
      exchangeOrderId: o.exchangeOrderId,
      status: o.status,
      filledQuantity: d(o.filledQuantity),
      averagePrice: d(o.averagePrice),
      reject: o.rejectCode ? { code: o.rejectCode, reason: o.rejectReason } : null,
      unwindOutcome: o.unwindOutcome,
      note: o.status === 'SKIPPED' || o.status === 'UNCONFIRMED' ? o.rejectReason : null,
      fills: trades
        .filter((t) => t.orderId === o.id)
        .map((t) => ({ execId: t.execId, price: d(t.price), quantity: d(t.quantity), fee: d(t.fee), feeCurrency: t.feeCurrency, executedAt: t.executedAt.toISOString() })),
    })),
    components: components.map((c) => ({ legIndex: c.legIndex, symbol: c.symbol, side: c.side, expectedQuantity: d(c.expectedQuantity), entryPrice: d(c.entryPrice) })),
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
    pnl: pnl ? { pnlUsdt: d(pnl.pnlUsdt), perLeg: pnl.perLeg, missingPrices: pnl.missingPrices, computedAt: pnl.computedAt.toISOString() } : null,
    composition,
  };
}
