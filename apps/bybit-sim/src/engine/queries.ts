// Query semantics of Bybit's order and execution lists, pure: filters, the 7-day time window,
// newest-first ordering and cursor paging. Inputs are already visibility-filtered.
import { BybitError } from './errors';
import { Execution, Order, OrderStatus } from './types';

/** Bybit's default and maximum history window: 7 days (order-list.mdx, execution.mdx). */
export const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
/** /v5/order/realtime keeps the most recent 500 closed orders per account (open-order.mdx). */
export const REALTIME_CLOSED_KEPT = 500;

const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set(['New', 'PartiallyFilled']);

/** True for an order still working on the book. */
export function isOpen(order: Order): boolean {
  return OPEN_STATUSES.has(order.orderStatus);
}

/** A page of results and the cursor of the next one ("" when there is none). */
export interface Page<T> {
  readonly list: T[];
  readonly nextPageCursor: string;
}

/**
 * Cuts a page. The cursor is opaque to clients; here it is the offset of the next item.
 *
 * @throws BybitError 10001 for a cursor we did not issue
 */
export function paginate<T>(items: readonly T[], limit: number, cursor: string | undefined): Page<T> {
  let offset = 0;
  if (cursor !== undefined && cursor !== '') {
    if (!/^\d+$/.test(cursor)) throw BybitError.params('cursor invalid');
    offset = Number.parseInt(cursor, 10);
  }
  const list = items.slice(offset, offset + limit);
  const next = offset + limit;
  return { list, nextPageCursor: next < items.length ? String(next) : '' };
}

/**
 * Resolves startTime/endTime like Bybit: none → the last 7 days; only start → [start, start + 7d];
 * only end → [end − 7d, end]; both → as given, at most 7 days apart.
 *
 * @throws BybitError 10001 when start > end or the span exceeds 7 days
 */
export function timeWindow(now: number, startTime: number | undefined, endTime: number | undefined): { start: number; end: number } {
  if (startTime === undefined && endTime === undefined) return { start: now - SEVEN_DAYS_MS, end: now };
  if (startTime !== undefined && endTime === undefined) return { start: startTime, end: startTime + SEVEN_DAYS_MS };
  if (startTime === undefined && endTime !== undefined) return { start: endTime - SEVEN_DAYS_MS, end: endTime };
  const start = startTime as number;
  const end = endTime as number;
  if (start > end) throw BybitError.params('startTime must be less than endTime');
  if (end - start > SEVEN_DAYS_MS) throw BybitError.params('The time range between startTime and endTime cannot exceed 7 days');
  return { start, end };
}

function newestFirst<T>(items: readonly T[], time: (item: T) => number, insertion: (item: T) => number): T[] {
  return [...items].sort((a, b) => time(b) - time(a) || insertion(b) - insertion(a));
}

/** Filters of /v5/order/realtime (docs/v5/order/open-order.mdx). */
export interface RealtimeFilter {
  readonly symbol?: string;
  readonly orderId?: string;
  readonly orderLinkId?: string;
  /** 0: open orders (any status when orderId/orderLinkId is given); 1: recent closed orders. */
  readonly openOnly: number;
}

/**
 * /v5/order/realtime: open orders, plus the most recent 500 closed ones. Looking up one order by
 * orderId or orderLinkId finds it whatever its status (this is what ccxt's fetchOrder relies on);
 * without an id, openOnly=0 lists open orders and openOnly=1 the recent closed ones.
 * Lookup priority orderId > orderLinkId > symbol, as documented.
 */
export function queryRealtime(orders: readonly Order[], filter: RealtimeFilter): Order[] {
  const sorted = newestFirst(
    orders,
    (order) => order.createdTime,
    (order) => order.seq,
  );
  const closedKept = new Set(sorted.filter((order) => !isOpen(order)).slice(0, REALTIME_CLOSED_KEPT));
  const reachable = sorted.filter((order) => isOpen(order) || closedKept.has(order));
  if (filter.orderId !== undefined) return reachable.filter((order) => order.orderId === filter.orderId);
  if (filter.orderLinkId !== undefined) return reachable.filter((order) => order.orderLinkId === filter.orderLinkId);
  const bySymbol = reachable.filter((order) => filter.symbol === undefined || order.symbol === filter.symbol);
  return bySymbol.filter((order) => (filter.openOnly === 1 ? !isOpen(order) : isOpen(order)));
}

/** Filters of /v5/order/history (docs/v5/order/order-list.mdx). */
export interface HistoryFilter {
  readonly symbol?: string;
  readonly orderId?: string;
  readonly orderLinkId?: string;
  readonly orderStatus?: string;
  readonly startTime?: number;
  readonly endTime?: number;
}

/**
 * /v5/order/history: orders created inside the time window, newest first, narrowed by the
 * filters. `orderStatus` may list several statuses separated by commas.
 *
 * @throws BybitError 10001 for a bad time window
 */
export function queryHistory(orders: readonly Order[], filter: HistoryFilter, now: number): Order[] {
  const { start, end } = timeWindow(now, filter.startTime, filter.endTime);
  const statuses = filter.orderStatus === undefined ? undefined : new Set(filter.orderStatus.split(','));
  return newestFirst(
    orders,
    (order) => order.createdTime,
    (order) => order.seq,
  ).filter(
    (order) =>
      order.createdTime >= start &&
      order.createdTime <= end &&
      (filter.symbol === undefined || order.symbol === filter.symbol) &&
      (filter.orderId === undefined || order.orderId === filter.orderId) &&
      (filter.orderLinkId === undefined || order.orderLinkId === filter.orderLinkId) &&
      (statuses === undefined || statuses.has(order.orderStatus)),
  );
}

/** Filters of /v5/execution/list (docs/v5/order/execution.mdx). */
export interface ExecutionFilter {
  readonly symbol?: string;
  readonly orderId?: string;
  readonly orderLinkId?: string;
  readonly execType?: string;
  readonly startTime?: number;
  readonly endTime?: number;
}

/**
 * /v5/execution/list: executions inside the time window, newest first, narrowed by the filters.
 *
 * @throws BybitError 10001 for a bad time window
 */
export function queryExecutions(executions: readonly Execution[], filter: ExecutionFilter, now: number): Execution[] {
  const { start, end } = timeWindow(now, filter.startTime, filter.endTime);
  return newestFirst(
    executions,
    (execution) => execution.execTime,
    (execution) => execution.ordinal,
  ).filter(
    (execution) =>
      execution.execTime >= start &&
      execution.execTime <= end &&
      (filter.symbol === undefined || execution.symbol === filter.symbol) &&
      (filter.orderId === undefined || execution.orderId === filter.orderId) &&
      (filter.orderLinkId === undefined || execution.orderLinkId === filter.orderLinkId) &&
      (filter.execType === undefined || execution.execType === filter.execType),
  );
}
