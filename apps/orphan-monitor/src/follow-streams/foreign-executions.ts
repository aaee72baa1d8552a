import { decodeOrderLinkId, ExecutionView, isOrderFill, StreamExecution } from '@legwork/exchange';

/**
 * The order fills among `executions` that are not Legwork's: an `orderLinkId` that does not
 * decode as ours, or one of ours the ledger does not hold (`tracked`). Only `execType=Trade` is
 * an order's fill (`isOrderFill`): funding, liquidations and ADL carry no order of anyone's and
 * are left to the scans (a peer counted funding as fills, nautilus_trader#4937).
 */
export function foreignFills(executions: readonly ExecutionView[], tracked: ReadonlySet<string>): ExecutionView[] {
  return executions.filter(isOrderFill).filter((e) => notOurs(e, tracked));
}

/**
 * The executions among `executions` that moved a symbol of `held` without us: a named cause
 * (funding has none), an `orderLinkId` that is not one of ours in the ledger (`tracked`, looked up
 * by {@link ourOrderLinkIds}; the exchange's own liquidation / ADL rows carry none), on a held symbol.
 */
export function driftExecutions(
  executions: readonly StreamExecution[],
  tracked: ReadonlySet<string>,
  held: ReadonlySet<string>,
): StreamExecution[] {
  return executions.filter((e) => e.cause !== null && held.has(e.execution.symbol) && notOurs(e.execution, tracked));
}

function notOurs(execution: ExecutionView, tracked: ReadonlySet<string>): boolean {
  return decodeOrderLinkId(execution.orderLinkId) === null || !tracked.has(execution.orderLinkId);
}

/** The `orderLinkId`s among `executions` that decode as Legwork's (to be looked up in the ledger). */
export function ourOrderLinkIds(executions: readonly ExecutionView[]): string[] {
  return [...new Set(executions.filter(isOrderFill).map((e) => e.orderLinkId))].filter((id) => decodeOrderLinkId(id) !== null);
}
