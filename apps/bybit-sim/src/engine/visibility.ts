// Visibility lag, applied at read time. The exchange records every fill with its time; a
// lagged view hides what happened after (now − lag). Computing it per read (not by delaying
// writes) keeps several overlapping fills and changing lags consistent.
import { flatPosition } from './position-math';
import { Execution, Order, PositionIdx, PositionSnapshot, PositionState } from './types';

/** Orders visible at `now` with a lag: those created at or before now − lag. */
export function visibleOrders(orders: readonly Order[], now: number, lagMs: number): Order[] {
  return lagMs <= 0 ? [...orders] : orders.filter((order) => order.createdTime + lagMs <= now);
}

/** Executions visible at `now` with a lag: those executed at or before now − lag. */
export function visibleExecutions(executions: readonly Execution[], now: number, lagMs: number): Execution[] {
  return lagMs <= 0 ? [...executions] : executions.filter((execution) => execution.execTime + lagMs <= now);
}

/**
 * The position as a lagged reader sees it: the last snapshot taken at or before now − lag.
 *
 * @param history snapshots in time order (append-only)
 * @param flatSince creation time to report for a symbol with no visible history
 * @param positionIdx the side the history belongs to, for the flat position it reports
 */
export function visiblePosition(
  symbol: string,
  history: readonly PositionSnapshot[],
  now: number,
  lagMs: number,
  flatSince: number,
  positionIdx: PositionIdx = 0,
): PositionState {
  const cutoff = now - Math.max(0, lagMs);
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const snapshot = history[index] as PositionSnapshot;
    if (snapshot.time <= cutoff) return snapshot.state;
  }
  return flatPosition(symbol, flatSince, positionIdx);
}
