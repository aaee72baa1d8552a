import type { OrderRecord, PositionComponentRecord, PositionRecord, PositionStatusChangeRecord, TradeRecord } from '@legwork/persistence';

/** The API shape of a position (decimal strings for every quantity and amount). */
export function positionSummary(p: PositionRecord) {
  return {
    id: p.id,
    status: p.status,
    health: p.health,
    indexId: p.indexId,
    accountId: p.accountId,
    direction: p.direction,
    notionalUsdt: p.notionalUsdt,
    onPartialFailure: p.onPartialFailure,
    failure: p.failureCode ? { code: p.failureCode, reason: p.failureReason } : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** Full detail: legs (every order we sent) with their fills, the component snapshot, the status history. */
export function positionDetail(
  p: PositionRecord,
  orders: OrderRecord[],
  trades: TradeRecord[],
  components: PositionComponentRecord[],
  history: PositionStatusChangeRecord[],
) {
  return {
    ...positionSummary(p),
    legs: orders.map((o) => ({
      purpose: o.purpose,
      legIndex: o.legIndex,
      symbol: o.symbol,
      side: o.side,
      quantity: o.quantity,
      reduceOnly: o.reduceOnly,
      orderLinkId: o.orderLinkId,
      exchangeOrderId: o.exchangeOrderId,
      status: o.status,
      filledQuantity: o.filledQuantity,
      averagePrice: o.averagePrice,
      reject: o.rejectCode ? { code: o.rejectCode, reason: o.rejectReason } : null,
      unwindOutcome: o.unwindOutcome,
      note: o.status === 'SKIPPED' || o.status === 'UNCONFIRMED' ? o.rejectReason : null,
      fills: trades
        .filter((t) => t.orderId === o.id)
        .map((t) => ({ execId: t.execId, price: t.price, quantity: t.quantity, fee: t.fee, feeCurrency: t.feeCurrency, executedAt: t.executedAt.toISOString() })),
    })),
    components: components.map((c) => ({ legIndex: c.legIndex, symbol: c.symbol, side: c.side, expectedQuantity: c.expectedQuantity, entryPrice: c.entryPrice })),
    history: history.map((h) => ({ from: h.fromStatus, to: h.toStatus, reason: h.reason, at: h.changedAt.toISOString() })),
  };
}
