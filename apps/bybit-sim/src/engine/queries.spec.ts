import { Dec } from './decimal';
import { BybitError } from './errors';
import { SEVEN_DAYS_MS, paginate, queryExecutions, queryHistory, queryRealtime, timeWindow } from './queries';
import { Execution, Order, OrderStatus } from './types';

const NOW = 1_700_000_000_000;
const zero = new Dec(0);

function order(seq: number, createdTime: number, extra: Partial<Order> = {}): Order {
  return {
    orderId: `o-${seq}`,
    orderLinkId: `l-${seq}`,
    symbol: 'BTCUSDT',
    side: 'Buy',
    positionIdx: 0,
    qty: new Dec('0.001'),
    price: new Dec(1),
    orderStatus: 'Filled' as OrderStatus,
    cumExecQty: zero,
    cumExecValue: zero,
    cumExecFee: zero,
    avgPrice: undefined,
    leavesQty: zero,
    reduceOnly: false,
    closeOnTrigger: false,
    createType: 'CreateByUser',
    markPriceOnCreated: new Dec(1),
    createdTime,
    updatedTime: createdTime,
    seq,
    ...extra,
  };
}

function execution(seq: number, execTime: number, extra: Partial<Execution> = {}): Execution {
  return {
    execId: `e-${seq}`,
    orderId: `o-${seq}`,
    orderLinkId: `l-${seq}`,
    symbol: 'BTCUSDT',
    side: 'Buy',
    positionIdx: 0,
    orderQty: zero,
    orderPrice: zero,
    execPrice: zero,
    execQty: zero,
    execValue: zero,
    execFee: zero,
    feeRate: zero,
    leavesQty: zero,
    execType: 'Trade',
    markPrice: zero,
    closedSize: zero,
    createType: 'CreateByUser',
    execTime,
    seq,
    ordinal: seq,
    ...extra,
  };
}

describe('order and execution queries', () => {
  it('time window: 7 days back by default, 7 days from a lone start or before a lone end, refused past 7 days', () => {
    expect(timeWindow(NOW, undefined, undefined)).toEqual({ start: NOW - SEVEN_DAYS_MS, end: NOW });
    expect(timeWindow(NOW, 1000, undefined)).toEqual({ start: 1000, end: 1000 + SEVEN_DAYS_MS });
    expect(timeWindow(NOW, undefined, NOW)).toEqual({ start: NOW - SEVEN_DAYS_MS, end: NOW });
    expect(() => timeWindow(NOW, NOW - SEVEN_DAYS_MS - 1, NOW)).toThrow(BybitError);
    expect(() => timeWindow(NOW, NOW, NOW - 1)).toThrow(BybitError);
  });

  it('pages newest first with an opaque cursor', () => {
    const items = [1, 2, 3, 4, 5];
    const first = paginate(items, 2, undefined);
    expect(first).toEqual({ list: [1, 2], nextPageCursor: '2' });
    const second = paginate(items, 2, first.nextPageCursor);
    const third = paginate(items, 2, second.nextPageCursor);
    expect([second.list, third.list, third.nextPageCursor]).toEqual([[3, 4], [5], '']);
    expect(() => paginate(items, 2, 'garbage')).toThrow(BybitError);
  });

  describe('/v5/order/realtime', () => {
    const open = order(3, NOW - 10, { orderStatus: 'New' });
    const orders = [order(1, NOW - 30), order(2, NOW - 20, { symbol: 'ETHUSDT' }), open];

    it('lists open orders by default and recent closed ones with openOnly=1', () => {
      expect(queryRealtime(orders, { openOnly: 0 }).map((o) => o.orderId)).toEqual(['o-3']);
      expect(queryRealtime(orders, { openOnly: 1 }).map((o) => o.orderId)).toEqual(['o-2', 'o-1']);
      expect(queryRealtime(orders, { openOnly: 1, symbol: 'BTCUSDT' }).map((o) => o.orderId)).toEqual(['o-1']);
    });

    it('finds one order by orderId or orderLinkId whatever its status, orderId first', () => {
      expect(queryRealtime(orders, { openOnly: 0, orderLinkId: 'l-1' }).map((o) => o.orderId)).toEqual(['o-1']);
      expect(queryRealtime(orders, { openOnly: 0, orderId: 'o-2', orderLinkId: 'l-1' }).map((o) => o.orderId)).toEqual(['o-2']);
    });

    it('forgets closed orders beyond the most recent 500', () => {
      const many = Array.from({ length: 501 }, (_, index) => order(index + 1, NOW - 1000 + index));
      expect(queryRealtime(many, { openOnly: 0, orderId: 'o-1' })).toEqual([]);
      expect(queryRealtime(many, { openOnly: 0, orderId: 'o-2' })).toHaveLength(1);
    });
  });

  it('/v5/order/history filters by symbol, ids, status list and window', () => {
    const orders = [
      order(1, NOW - 30),
      order(2, NOW - 20, { orderStatus: 'Cancelled' }),
      order(3, NOW - SEVEN_DAYS_MS - 1),
      order(4, NOW - 10, { symbol: 'ETHUSDT' }),
    ];
    expect(queryHistory(orders, {}, NOW).map((o) => o.orderId)).toEqual(['o-4', 'o-2', 'o-1']);
    expect(queryHistory(orders, { symbol: 'BTCUSDT', orderStatus: 'Filled' }, NOW).map((o) => o.orderId)).toEqual(['o-1']);
    expect(queryHistory(orders, { orderStatus: 'Filled,Cancelled', symbol: 'BTCUSDT' }, NOW).map((o) => o.orderId)).toEqual(['o-2', 'o-1']);
    expect(queryHistory(orders, { orderLinkId: 'l-3' }, NOW)).toEqual([]);
    expect(queryHistory(orders, { orderLinkId: 'l-3', startTime: NOW - SEVEN_DAYS_MS - 10 }, NOW).map((o) => o.orderId)).toEqual(['o-3']);
  });

  it('/v5/execution/list filters by symbol, ids, execType and window, newest first', () => {
    const executions = [
      execution(1, NOW - 30),
      execution(2, NOW - 20, { execType: 'BustTrade' }),
      execution(3, NOW - 10, { orderId: 'o-1' }),
    ];
    expect(queryExecutions(executions, {}, NOW).map((e) => e.execId)).toEqual(['e-3', 'e-2', 'e-1']);
    expect(queryExecutions(executions, { execType: 'Trade' }, NOW).map((e) => e.execId)).toEqual(['e-3', 'e-1']);
    expect(queryExecutions(executions, { orderId: 'o-1' }, NOW).map((e) => e.execId)).toEqual(['e-3', 'e-1']);
    expect(queryExecutions(executions, { startTime: NOW - 25, endTime: NOW - 15 }, NOW).map((e) => e.execId)).toEqual(['e-2']);
  });
});
