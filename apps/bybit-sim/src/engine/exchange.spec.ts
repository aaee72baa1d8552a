import { Dec } from './decimal';
import { Exchange } from './exchange';
import { PositionState } from './types';
import { market, newExchange, retCodeOf } from '../testing/engine-fixture';

const T0 = 1_700_000_000_000;

/** The one-way position of a symbol as the account's API sees it. */
function onlyPosition(exchange: Exchange, apiKey: string, symbol: string, now: number): PositionState {
  const [position, ...more] = exchange.visiblePositions(apiKey, symbol, now);
  if (position === undefined || more.length > 0) throw new Error(`expected one position of ${symbol}`);
  return position;
}

describe('the simulated exchange', () => {
  let exchange: Exchange;

  beforeEach(() => {
    exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000', DOGEUSDT: '0.12' } });
    exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1) }, T0);
  });

  describe('matching', () => {
    it('fills a market order at the mark price with one execution and a taker fee of 0.055 %', () => {
      const order = exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.1', { orderLinkId: 'leg-1' }), T0 + 5);
      expect(order).toMatchObject({ orderStatus: 'Filled', orderLinkId: 'leg-1', createdTime: T0 + 5, updatedTime: T0 + 5 });
      expect(order.cumExecQty.toFixed()).toBe('0.1');
      expect(order.cumExecValue.toFixed()).toBe('6500');
      expect(order.avgPrice?.toFixed()).toBe('65000');
      expect(order.leavesQty.isZero()).toBe(true);
      const [execution] = exchange.visibleExecutions('k', T0 + 5);
      expect(execution).toMatchObject({ orderId: order.orderId, execType: 'Trade', execTime: T0 + 5 });
      expect(execution?.execFee.toFixed()).toBe('3.575');
      expect(exchange.wallet('k', T0 + 5).walletBalance.toFixed()).toBe('9996.425');
    });

    it('moves the fill price against the taker by the slippage, on the tick grid', () => {
      const slipping = newExchange({ slippageBps: '10', prices: { BTCUSDT: '65000' } });
      slipping.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('100000'), defaultLeverage: new Dec(1) }, T0);
      expect(slipping.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0).avgPrice?.toFixed()).toBe('65065');
      expect(slipping.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01'), T0).avgPrice?.toFixed()).toBe('64935');
    });

    it('aggregates fills into one position with a weighted entry, then realises PnL on reduction', () => {
      exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '1'), T0);
      exchange.prices.set('ETHUSDT', new Dec('3300'));
      exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '2'), T0 + 1);
      expect(onlyPosition(exchange, 'k', 'ETHUSDT', T0 + 1).entryPrice.toFixed()).toBe('3200');
      const walletBefore = exchange.wallet('k', T0 + 1).walletBalance;
      exchange.prices.set('ETHUSDT', new Dec('3400'));
      exchange.placeMarketOrder('k', market('ETHUSDT', 'Sell', '1', { reduceOnly: true }), T0 + 2);
      const position = onlyPosition(exchange, 'k', 'ETHUSDT', T0 + 2);
      expect(position.size.toFixed()).toBe('2');
      expect(position.entryPrice.toFixed()).toBe('3200');
      // +200 realised, −1.87 fee (3400 × 0.00055).
      expect(
        exchange
          .wallet('k', T0 + 2)
          .walletBalance.minus(walletBefore)
          .toFixed(),
      ).toBe('198.13');
    });

    it('clips a reduce-only order to the position and refuses one with no position', () => {
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.05'), T0);
      const close = exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '1', { reduceOnly: true }), T0 + 1);
      expect(close.qty.toFixed()).toBe('0.05');
      expect(onlyPosition(exchange, 'k', 'BTCUSDT', T0 + 1).size.isZero()).toBe(true);
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { reduceOnly: true }), T0 + 2))).toBe(110017);
    });

    it('closes the whole position on qty 0 with reduceOnly + closeOnTrigger', () => {
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.03'), T0);
      const close = exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0', { reduceOnly: true, closeOnTrigger: true }), T0 + 1);
      expect(close.qty.toFixed()).toBe('0.03');
    });

    it('checks 1x margin against wallet − Σ|size| × entry, counting the fee', () => {
      // 10000 USDT buys at most 10000 / (65000 × 1.00055) ≈ 0.1537 BTC.
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.154'), T0))).toBe(110007);
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.15'), T0);
      // 9750 of margin and a 5.3625 fee leave 244.6375: 0.08 ETH (240 + 0.132 fee) fits, 0.2 does not.
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '0.2'), T0))).toBe(110007);
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '0.08'), T0))).toBeUndefined();
      // A reduction is always allowed, and frees margin for a new order.
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.1', { reduceOnly: true }), T0);
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '1'), T0))).toBeUndefined();
    });

    it('a flip only needs margin for the new side', () => {
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.15'), T0);
      // Selling 0.3 closes 0.15 and opens a 0.15 short: fits although 0.3 × 65000 > 10000.
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.3'), T0 + 1);
      const position = onlyPosition(exchange, 'k', 'BTCUSDT', T0 + 1);
      expect(position.size.toFixed()).toBe('-0.15');
      expect(position.entryPrice.toFixed()).toBe('65000');
    });

    it('enforces lot size and min notional', () => {
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.0001'), T0))).toBe(10001);
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('DOGEUSDT', 'Buy', '41'), T0))).toBe(110094);
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('NOPEUSDT', 'Buy', '1'), T0))).toBe(10001);
    });

    it('keeps orderLinkIds unique forever, but not across accounts, and rejected orders use none', () => {
      exchange.createAccount({ apiKey: 'k2', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1) }, T0);
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '1', { orderLinkId: 'a' }), T0))).toBe(110007);
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { orderLinkId: 'a' }), T0);
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01', { orderLinkId: 'b' }), T0 + 1);
      expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { orderLinkId: 'a' }), T0 + 99_999_999))).toBe(
        110072,
      );
      expect(retCodeOf(() => exchange.placeMarketOrder('k2', market('BTCUSDT', 'Buy', '0.01', { orderLinkId: 'a' }), T0))).toBeUndefined();
      expect(exchange.visibleOrders('k', T0 + 2)).toHaveLength(2);
    });
  });

  describe('visibility lag at read time', () => {
    it('shows each fill in the position list only lag ms after it, composing several fills', () => {
      exchange.faults.replace({ positionVisibilityLagMs: 1000 });
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0);
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.02'), T0 + 500);
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.03', { reduceOnly: true }), T0 + 800);
      const sizeAt = (now: number): string => onlyPosition(exchange, 'k', 'BTCUSDT', now).size.toFixed();
      expect(sizeAt(T0 + 999)).toBe('0');
      expect(sizeAt(T0 + 1000)).toBe('0.01');
      expect(sizeAt(T0 + 1500)).toBe('0.03');
      expect(sizeAt(T0 + 1800)).toBe('0');
      expect(exchange.visibleOpenPositions('k', T0 + 1600).map((position) => position.symbol)).toEqual(['BTCUSDT']);
      // Orders and executions are not lagged by the position lag.
      expect(exchange.visibleOrders('k', T0 + 800)).toHaveLength(3);
      expect(exchange.visibleExecutions('k', T0 + 800)).toHaveLength(3);
    });

    it('applies order and execution lags to their own views, and a lag change applies to past fills', () => {
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0);
      exchange.faults.replace({ orderVisibilityLagMs: 200, executionVisibilityLagMs: 400 });
      expect(exchange.visibleOrders('k', T0 + 199)).toHaveLength(0);
      expect(exchange.visibleOrders('k', T0 + 200)).toHaveLength(1);
      expect(exchange.visibleExecutions('k', T0 + 399)).toHaveLength(0);
      expect(exchange.visibleExecutions('k', T0 + 400)).toHaveLength(1);
      expect(onlyPosition(exchange, 'k', 'BTCUSDT', T0).size.toFixed()).toBe('0.01');
      exchange.faults.clear();
      expect(exchange.visibleOrders('k', T0)).toHaveLength(1);
    });

    it('lags only the account the fault was posted for', () => {
      exchange.createAccount({ apiKey: 'k2', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1) }, T0);
      exchange.faults.replace({ positionVisibilityLagMs: 1000 }, 'k2');
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0);
      exchange.placeMarketOrder('k2', market('BTCUSDT', 'Buy', '0.01'), T0);
      expect(onlyPosition(exchange, 'k', 'BTCUSDT', T0).size.toFixed()).toBe('0.01');
      expect(onlyPosition(exchange, 'k2', 'BTCUSDT', T0).size.toFixed()).toBe('0');
    });
  });

  describe('closeAfterFillMs', () => {
    it('force-closes the position at fill time + delay with a BustTrade, realising PnL', () => {
      exchange.faults.replace({ closeAfterFillMs: 1000 });
      const open = exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.1', { orderLinkId: 'x' }), T0);
      exchange.prices.set('BTCUSDT', new Dec('60000'));
      expect(onlyPosition(exchange, 'k', 'BTCUSDT', T0 + 999).size.toFixed()).toBe('0.1');
      const position = onlyPosition(exchange, 'k', 'BTCUSDT', T0 + 1000);
      expect(position.size.isZero()).toBe(true);
      const executions = exchange.visibleExecutions('k', T0 + 1000);
      expect(executions.map((execution) => [execution.execType, execution.side, execution.execQty.toFixed(), execution.execTime])).toEqual([
        ['Trade', 'Buy', '0.1', T0],
        ['BustTrade', 'Sell', '0.1', T0 + 1000],
      ]);
      const orders = exchange.visibleOrders('k', T0 + 1000);
      expect(orders[1]).toMatchObject({ createType: 'CreateByLiq', orderLinkId: '', reduceOnly: true, orderStatus: 'Filled' });
      expect(orders[0]?.orderId).toBe(open.orderId);
      // −500 realised, fees 3.575 on the open and 3.3 on the close.
      expect(exchange.wallet('k', T0 + 1000).walletBalance.toFixed()).toBe('9493.125');
    });

    it('does nothing when the position was closed by hand first', () => {
      exchange.faults.replace({ closeAfterFillMs: 1000 });
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.1'), T0);
      exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.1', { reduceOnly: true }), T0 + 10);
      expect(exchange.visibleExecutions('k', T0 + 5000).map((execution) => execution.execType)).toEqual(['Trade', 'Trade']);
    });
  });

  it('reset drops accounts, faults and pinned prices', () => {
    exchange.faults.replace({ closeAfterFillMs: 5 });
    exchange.reset();
    expect(exchange.accounts.all()).toEqual([]);
    expect(exchange.faults.closeAfterFillMs('k')).toBeUndefined();
    expect(exchange.prices.entry('BTCUSDT').pinned).toBe(false);
  });
});
