// Market orders as takers against the order book (book mode, the simulator's default).
import { Dec } from './decimal';
import { Exchange } from './exchange';
import { unrealisedPnl } from './position-math';
import { BookSettings } from './order-book';
import { market, newExchange } from '../testing/engine-fixture';

const T0 = 1_700_000_000_000;

function bookExchange(book: Partial<BookSettings> = {}): Exchange {
  const exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000' }, fillAtMark: false, book });
  exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('1000000'), defaultLeverage: new Dec(1) }, T0);
  return exchange;
}

describe('market orders against the order book', () => {
  it('a buy fills at the ask, above the mark price: the position starts with a loss of the spread', () => {
    const exchange = bookExchange();
    const ask1 = exchange.books.view(exchange.catalogue.get('BTCUSDT'), new Dec(65000), T0).asks[0];
    const order = exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0);
    expect(order.orderStatus).toBe('Filled');
    expect(order.avgPrice?.toFixed()).toBe(ask1?.price.toFixed());
    expect(order.avgPrice?.greaterThan(65000)).toBe(true);
    const [position] = exchange.visiblePositions('k', 'BTCUSDT', T0);
    if (position === undefined) throw new Error('no BTCUSDT position');
    expect(position.entryPrice.toFixed()).toBe('65000.1');
    expect(unrealisedPnl(position, new Dec(65000)).toFixed()).toBe('-0.001');
    const sell = exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01'), T0 + 1);
    expect(sell.avgPrice?.toFixed()).toBe('64999.9');
  });

  it('a large order walks the book: one execution per level, each with its own execId, price and taker fee; avgPrice from them', () => {
    const exchange = bookExchange({ levelNotionalUsdt: new Dec(1000) });
    const asks = exchange.books.view(exchange.catalogue.get('BTCUSDT'), new Dec(65000), T0).asks;
    const firstTwo = (asks[0]?.qty ?? new Dec(0)).plus(asks[1]?.qty ?? 0);
    const qty = firstTwo.plus('0.001');
    const order = exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', qty.toFixed(), { orderLinkId: 'big-1' }), T0);
    const executions = exchange.visibleExecutions('k', T0).filter((execution) => execution.orderId === order.orderId);
    expect(executions.map((execution) => execution.execPrice.toFixed())).toEqual(['65000.1', '65000.2', '65000.3']);
    expect(new Set(executions.map((execution) => execution.execId)).size).toBe(3);
    expect(executions.map((execution) => execution.execQty.toFixed())).toEqual([asks[0]?.qty.toFixed(), asks[1]?.qty.toFixed(), '0.001']);
    for (const execution of executions)
      expect(execution.execFee.toFixed()).toBe(execution.execValue.mul('0.00055').toDecimalPlaces(8).toFixed());
    expect(executions.map((execution) => execution.leavesQty.toFixed())).toEqual([qty.minus(asks[0]?.qty ?? 0).toFixed(), '0.001', '0']);
    const value = executions.reduce((sum, execution) => sum.plus(execution.execValue), new Dec(0));
    expect(order.cumExecValue.toFixed()).toBe(value.toFixed());
    expect(order.avgPrice?.toFixed()).toBe(value.div(qty).toDecimalPlaces(8).toFixed());
    expect(order.cumExecQty.toFixed()).toBe(qty.toFixed());
    expect(exchange.visiblePositions('k', 'BTCUSDT', T0)[0]?.size.toFixed()).toBe(qty.toFixed());
    const log = exchange.account('k')?.transactionLog ?? [];
    expect(log.map((entry) => [entry.type, entry.tradeId])).toEqual(executions.map((execution) => ['TRADE', execution.execId]));
    expect(log.at(-1)?.cashBalance.toFixed()).toBe(exchange.wallet('k', T0).walletBalance.toFixed());
  });

  it('cancels what the levels inside the protection price cannot fill: Cancelled with the filled part, as Bybit does for derivatives', () => {
    // 1 % of 65000 = 650 USDT; levels 100 USDT apart leave 6 levels inside the band.
    const exchange = bookExchange({ levelNotionalUsdt: new Dec(1000), levelStepTicks: 1000 });
    const asks = exchange.books.view(exchange.catalogue.get('BTCUSDT'), new Dec(65000), T0).asks;
    const inBand = asks.filter((level) => level.price.lessThanOrEqualTo(65650));
    expect(inBand.map((level) => level.price.toFixed())).toEqual([
      '65000.1',
      '65100.1',
      '65200.1',
      '65300.1',
      '65400.1',
      '65500.1',
      '65600.1',
    ]);
    const available = inBand.reduce((sum, level) => sum.plus(level.qty), new Dec(0));
    const order = exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '1', { orderLinkId: 'cut-1' }), T0);
    expect(order.orderStatus).toBe('Cancelled');
    expect(order.cumExecQty.toFixed()).toBe(available.toFixed());
    expect(order.leavesQty.isZero()).toBe(true);
    expect(order.price.toFixed()).toBe('65650');
    const executions = exchange.visibleExecutions('k', T0);
    expect(executions).toHaveLength(inBand.length);
    expect(executions.every((execution) => execution.execPrice.lessThanOrEqualTo(65650))).toBe(true);
    expect(executions.at(-1)?.leavesQty.toFixed()).toBe(new Dec(1).minus(available).toFixed());
    expect(exchange.visiblePositions('k', 'BTCUSDT', T0)[0]?.size.toFixed()).toBe(available.toFixed());
  });

  it('a book too shallow for the order fills what it has and cancels the rest', () => {
    const exchange = bookExchange({ depth: 2, levelNotionalUsdt: new Dec(1000) });
    const order = exchange.placeMarketOrder('k', market('ETHUSDT', 'Sell', '5'), T0);
    expect(order.orderStatus).toBe('Cancelled');
    expect(exchange.visibleExecutions('k', T0)).toHaveLength(2);
    expect(exchange.visiblePositions('k', 'ETHUSDT', T0)[0]?.size.neg().toFixed()).toBe(order.cumExecQty.toFixed());
  });

  it('with no level inside the protection price nothing fills: Cancelled, no execution, the orderLinkId is used', () => {
    const exchange = bookExchange({ spreadTicks: 20_00 });
    exchange.books.configure({ priceLimitRatio: new Dec('0.00001') }, 'BTCUSDT');
    const order = exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { orderLinkId: 'none-1' }), T0);
    expect(order.orderStatus).toBe('Cancelled');
    expect(order.cumExecQty.isZero()).toBe(true);
    expect(order.avgPrice).toBeUndefined();
    expect(exchange.visibleExecutions('k', T0)).toEqual([]);
    expect(exchange.visiblePositions('k', 'BTCUSDT', T0)[0]?.size.isZero()).toBe(true);
    expect(exchange.account('k')?.usedOrderLinkIds.has('none-1')).toBe(true);
  });

  it('the book refills after a trade: at once by default, after refillMs when set', () => {
    const exchange = bookExchange({ levelNotionalUsdt: new Dec(1000) });
    const ask1 = exchange.books.view(exchange.catalogue.get('BTCUSDT'), new Dec(65000), T0).asks[0]?.qty.toFixed() ?? '0';
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', ask1), T0);
    expect(exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.001'), T0 + 1).avgPrice?.toFixed()).toBe('65000.1');

    const slow = bookExchange({ levelNotionalUsdt: new Dec(1000), refillMs: 60_000 });
    slow.placeMarketOrder('k', market('BTCUSDT', 'Buy', ask1), T0);
    expect(slow.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.001'), T0 + 1).avgPrice?.toFixed()).toBe('65000.2');
    expect(slow.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.001'), T0 + 60_001).avgPrice?.toFixed()).toBe('65000.1');
  });

  it('fill-at-mark, per account or for all: the whole qty at the mark price in one execution', () => {
    const exchange = bookExchange({ levelNotionalUsdt: new Dec(1000) });
    exchange.createAccount({ apiKey: 'k2', apiSecret: 's', balanceUsdt: new Dec('1000000'), defaultLeverage: new Dec(1) }, T0);
    exchange.setFillAtMark(true, 'k');
    expect(exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '1'), T0).avgPrice?.toFixed()).toBe('65000');
    expect(exchange.visibleExecutions('k', T0)).toHaveLength(1);
    expect(exchange.placeMarketOrder('k2', market('BTCUSDT', 'Buy', '0.001'), T0).avgPrice?.toFixed()).toBe('65000.1');
    exchange.setFillAtMark(true);
    expect(exchange.fillAtMark('k2')).toBe(true);
    expect(exchange.placeMarketOrder('k2', market('BTCUSDT', 'Buy', '0.01'), T0).avgPrice?.toFixed()).toBe('65000');
  });
});
