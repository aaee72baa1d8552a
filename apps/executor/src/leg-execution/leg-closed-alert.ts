import Decimal from 'decimal.js';
import type { AlertFactory, OutboxMessage } from '@legwork/messaging';
import type { OrderRecord } from '@legwork/persistence';

/**
 * The critical alert of a leg that filled and was then closed by the exchange itself
 * (liquidation, ADL, bust): its fills are recorded and no unwind is sent. One per leg
 * (`dedupeKey` = its `orderLinkId`), whether the per-leg or the basket's position check found it.
 * @param filledQuantity base coin, decimal string; @param closingExecIds the exchange's closing executions
 */
export function legClosedByExchangeAlert(
  alerts: AlertFactory,
  leg: OrderRecord,
  filledQuantity: string,
  closingExecIds: readonly string[],
): OutboxMessage {
  return alerts.build({
    kind: 'execution.leg_closed_by_exchange',
    severity: 'critical',
    summary:
      `${leg.symbol} ${leg.side} ${new Decimal(filledQuantity).toFixed()} (orderLinkId ${leg.orderLinkId}) filled and was then closed by the exchange ` +
      `(liquidation/ADL/bust executions ${closingExecIds.join(', ')}). Fills recorded; no unwind was sent.`,
    positionId: leg.positionId,
    accountId: leg.accountId,
    details: { symbol: leg.symbol, orderLinkId: leg.orderLinkId, closingExecutions: closingExecIds.length },
    dedupeKey: leg.orderLinkId,
  });
}
