import { decodeOrderLinkId, ExecutionView, isOrderFill } from '@legwork/exchange';

/**
 * The order fills among `executions` that are not Legwork's: an `orderLinkId` that does not
 * decode as ours, or one of ours the ledger does not hold (`tracked`). Only `execType=Trade` is
 * an order's fill (`isOrderFill`): funding, liquidations and ADL carry no order of anyone's and
 * are left to the scans (a peer counted funding as fills, nautilus_trader#4937).
 */
export function foreignFills(executions: readonly ExecutionView[], tracked: ReadonlySet<string>): ExecutionView[] {
  return executions.filter(isOrderFill).filter((e) => decodeOrderLinkId(e.orderLinkId) === null || !tracked.has(e.orderLinkId));
}

/** The `orderLinkId`s among `executions` that decode as Legwork's (to be looked up in the ledger). */
export function ourOrderLinkIds(executions: readonly ExecutionView[]): string[] {
  return [...new Set(executions.filter(isOrderFill).map((e) => e.orderLinkId))].filter((id) => decodeOrderLinkId(id) !== null);
}
