// POST /v5/order/create-batch semantics (batch-place.mdx, rate-limit.mdx "Instructions for batch
// endpoints"): per-order outcomes through the /v5/order/create path, the per-order rate budget
// with partial acceptance, 110072 per entry, and the whole request refused past 20 orders.
import { BatchEntry, placeBatch } from './batch';
import { Dec } from './decimal';
import { BybitError, RetCode } from './errors';
import { Exchange } from './exchange';
import { bybitErrorOf, market, newExchange } from '../testing/engine-fixture';

const T0 = 1_700_000_000_000;

function order(symbol: string, qty: string, orderLinkId: string): BatchEntry {
  return { request: market(symbol, 'Buy', qty, { orderLinkId }) };
}

/** `count` buys of 100 DOGE each (12 USDT at 0.12, above the 5 USDT minimum notional). */
function dogeOrders(count: number, prefix: string): BatchEntry[] {
  return Array.from({ length: count }, (_, index) => order('DOGEUSDT', '100', `${prefix}-${index}`));
}

function codes(outcome: ReturnType<typeof placeBatch>): number[] {
  return outcome.results.map((result) => result.code);
}

describe('create-batch', () => {
  let exchange: Exchange;

  beforeEach(() => {
    exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000', DOGEUSDT: '0.12' } });
    for (const apiKey of ['k', 'other'])
      exchange.createAccount({ apiKey, apiSecret: 's', balanceUsdt: new Dec('100000'), defaultLeverage: new Dec(1) }, T0);
  });

  it('places every order as /v5/order/create would, in request order, each with its own outcome', () => {
    const outcome = placeBatch(
      exchange,
      'k',
      [order('BTCUSDT', '0.01', 'b-1'), order('ETHUSDT', '0.1', 'b-2'), order('BTCUSDT', '0.0001', 'b-3'), order('DOGEUSDT', '10', 'b-4')],
      T0,
    );
    expect(outcome.results.map(({ symbol, orderLinkId, code, msg }) => [symbol, orderLinkId, code, msg])).toEqual([
      ['BTCUSDT', 'b-1', 0, 'OK'],
      ['ETHUSDT', 'b-2', 0, 'OK'],
      // lot size (qty below minOrderQty) and min notional (10 × 0.12 < 5 USDT), as on /v5/order/create
      [
        'BTCUSDT',
        'b-3',
        RetCode.PARAMS_ERROR,
        bybitErrorOf(() => exchange.placeMarketOrder('other', market('BTCUSDT', 'Buy', '0.0001'), T0))?.retMsg,
      ],
      ['DOGEUSDT', 'b-4', RetCode.NOTIONAL_BELOW_MIN, 'Order notional value below the lower limit'],
    ]);
    const placed = outcome.results.flatMap((result) => (result.order === undefined ? [] : [result.order]));
    expect(placed.map((placedOrder) => [placedOrder.orderLinkId, placedOrder.orderStatus, placedOrder.createdTime])).toEqual([
      ['b-1', 'Filled', T0],
      ['b-2', 'Filled', T0],
    ]);
    expect(exchange.account('k')?.orders.map((placedOrder) => placedOrder.orderLinkId)).toEqual(['b-1', 'b-2']);
    // Four orders cost four units, failed ones included.
    expect(outcome.budget).toEqual({ limit: 10, remaining: 6, resetTimestamp: T0 });
  });

  it('fails a repeated orderLinkId with 110072 for that entry only, inside the request or after an earlier order', () => {
    exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '0.1', { orderLinkId: 'used-before' }), T0);
    const outcome = placeBatch(
      exchange,
      'k',
      [
        order('BTCUSDT', '0.01', 'twice'),
        order('BTCUSDT', '0.01', 'twice'),
        order('ETHUSDT', '0.1', 'used-before'),
        order('ETHUSDT', '0.1', 'fresh'),
      ],
      T0 + 1,
    );
    expect(codes(outcome)).toEqual([0, RetCode.ORDER_LINK_ID_DUPLICATE, RetCode.ORDER_LINK_ID_DUPLICATE, 0]);
    expect(outcome.results[1]?.msg).toBe('OrderLinkedID is duplicate');
    expect(exchange.account('k')?.orders.map((placedOrder) => placedOrder.orderLinkId)).toEqual(['used-before', 'twice', 'fresh']);
  });

  it('echoes an entry the wire parsing refused with its code, and still judges the others', () => {
    const refused: BatchEntry = { refused: BybitError.params('side invalid'), symbol: 'ETHUSDT', orderLinkId: 'bad-1' };
    const outcome = placeBatch(exchange, 'k', [refused, order('ETHUSDT', '0.1', 'good-1')], T0);
    expect(outcome.results.map(({ symbol, orderLinkId, code, msg }) => [symbol, orderLinkId, code, msg])).toEqual([
      ['ETHUSDT', 'bad-1', 10001, 'params error: side invalid'],
      ['ETHUSDT', 'good-1', 0, 'OK'],
    ]);
    expect(outcome.budget.remaining).toBe(8);
  });

  it('fails the orders past the remaining budget with 10006 while the earlier ones are placed ("first 5 succeed, 6–8 fail")', () => {
    expect(codes(placeBatch(exchange, 'k', dogeOrders(5, 'a'), T0))).toEqual([0, 0, 0, 0, 0]);
    const outcome = placeBatch(exchange, 'k', dogeOrders(8, 'b'), T0 + 400);
    expect(codes(outcome)).toEqual([0, 0, 0, 0, 0, 10006, 10006, 10006]);
    expect(outcome.results[5]).toMatchObject({
      symbol: 'DOGEUSDT',
      orderLinkId: 'b-5',
      order: undefined,
      msg: 'Too many visits. Exceeded the API Rate Limit.',
    });
    // None left: the headers say when the oldest unit leaves the rolling second.
    expect(outcome.budget).toEqual({ limit: 10, remaining: 0, resetTimestamp: T0 + 1000 });
    expect(exchange.account('k')?.orders).toHaveLength(10);
    // The failed orderLinkIds were never used: they can be sent again once the window moves on.
    expect(codes(placeBatch(exchange, 'k', dogeOrders(8, 'b').slice(5), T0 + 999))).toEqual([10006, 10006, 10006]);
    expect(codes(placeBatch(exchange, 'k', dogeOrders(8, 'b').slice(5), T0 + 1000))).toEqual([0, 0, 0]);
  });

  it('keeps one budget per account, with its own limits when set', () => {
    placeBatch(exchange, 'k', dogeOrders(10, 'k'), T0);
    expect(codes(placeBatch(exchange, 'other', dogeOrders(3, 'o'), T0))).toEqual([0, 0, 0]);
    exchange.batchBudget.set({ ordersPerSecond: 2, maxOrdersPerRequest: 20 }, 'other');
    expect(codes(placeBatch(exchange, 'other', dogeOrders(2, 'p'), T0 + 1000))).toEqual([0, 0]);
    expect(placeBatch(exchange, 'other', dogeOrders(1, 'q'), T0 + 1000).budget).toEqual({
      limit: 2,
      remaining: 0,
      resetTimestamp: T0 + 2000,
    });
  });

  it('refuses the whole request past 20 orders (or the limit set), and an empty one, using no unit', () => {
    exchange.batchBudget.set({ ordersPerSecond: 100, maxOrdersPerRequest: 20 });
    const tooMany = bybitErrorOf(() => placeBatch(exchange, 'k', dogeOrders(21, 'x'), T0));
    expect(tooMany).toMatchObject({ retCode: 10001, retMsg: 'params error: request holds 21 orders, at most 20 are allowed for linear' });
    expect(bybitErrorOf(() => placeBatch(exchange, 'k', [], T0))?.retCode).toBe(10001);
    expect(exchange.account('k')?.orders).toHaveLength(0);
    expect(exchange.batchBudget.status('k', T0).remaining).toBe(100);

    expect(codes(placeBatch(exchange, 'k', dogeOrders(20, 'y'), T0))).toEqual(Array.from({ length: 20 }, () => 0));
    // The older docs text: 1-10 orders per request.
    exchange.batchBudget.set({ ordersPerSecond: 100, maxOrdersPerRequest: 10 }, 'k');
    expect(bybitErrorOf(() => placeBatch(exchange, 'k', dogeOrders(11, 'z'), T0))?.retCode).toBe(10001);
  });

  it('is a separate bucket: orders placed by /v5/order/create cost it nothing', () => {
    for (let index = 0; index < 12; index += 1) exchange.placeMarketOrder('k', market('DOGEUSDT', 'Buy', '100'), T0);
    expect(exchange.batchBudget.status('k', T0)).toEqual({ limit: 10, remaining: 10, resetTimestamp: T0 });
  });

  it('forgets the units used and the limits set on reset', () => {
    exchange.batchBudget.set({ ordersPerSecond: 3, maxOrdersPerRequest: 5 });
    placeBatch(exchange, 'k', dogeOrders(3, 'r'), T0);
    exchange.reset();
    expect(exchange.batchBudget.limits('k')).toEqual({ ordersPerSecond: 10, maxOrdersPerRequest: 20 });
    expect(exchange.batchBudget.status('k', T0).remaining).toBe(10);
  });
});
