// Funding on open positions: at the 8-hour marks of the clock (settled lazily before the next
// operation) or on demand. It moves the wallet and the realised PnL, never a size or an order.
import { Dec } from './decimal';
import { Exchange } from './exchange';
import { FUNDING_INTERVAL_MS } from './funding';
import { market, newExchange } from '../testing/engine-fixture';

const MARK_TIME = Date.UTC(2026, 10, 29, 8);
const BEFORE = MARK_TIME - 60_000;

function withLong(): Exchange {
  const exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000' } });
  exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1) }, BEFORE);
  exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { orderLinkId: 'leg-1' }), BEFORE);
  return exchange;
}

describe('funding on open positions', () => {
  it('settles at the 8-hour mark before the next operation: a Funding execution, the wallet moves, the size and the order do not', () => {
    const exchange = withLong();
    const walletBefore = exchange.wallet('k', BEFORE).walletBalance;
    expect(exchange.visibleExecutions('k', MARK_TIME - 1).map((execution) => execution.execType)).toEqual(['Trade']);

    const executions = exchange.visibleExecutions('k', MARK_TIME + 5);
    const funding = executions.find((execution) => execution.execType === 'Funding');
    expect(funding).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'Sell',
      orderLinkId: '',
      execTime: MARK_TIME,
      createType: '',
      positionIdx: 0,
    });
    expect([
      funding?.execQty.toFixed(),
      funding?.execPrice.toFixed(),
      funding?.feeRate.toFixed(),
      funding?.execFee.toFixed(),
      funding?.orderQty.toFixed(),
    ]).toEqual(['0.01', '65000', '0.0001', '0.065', '0']);
    expect(exchange.wallet('k', MARK_TIME + 5).walletBalance.toFixed()).toBe(walletBefore.minus('0.065').toFixed());
    const [position] = exchange.visiblePositions('k', 'BTCUSDT', MARK_TIME + 5);
    expect(position?.size.toFixed()).toBe('0.01');
    expect(position?.entryPrice.toFixed()).toBe('65000');
    expect(position?.cumRealisedPnl.toFixed()).toBe('-0.4225');
    expect(position?.curRealisedPnl.toFixed()).toBe('-0.4225');
    const orders = exchange.visibleOrders('k', MARK_TIME + 5);
    expect(orders.map((order) => [order.orderLinkId, order.cumExecQty.toFixed()])).toEqual([['leg-1', '0.01']]);
    const settlement = exchange.account('k')?.transactionLog.find((entry) => entry.type === 'SETTLEMENT');
    expect(settlement).toMatchObject({ side: 'Buy', transactionTime: MARK_TIME, tradeId: funding?.execId, orderId: funding?.orderId });
    expect([
      settlement?.funding?.toFixed(),
      settlement?.change.toFixed(),
      settlement?.fee.toFixed(),
      settlement?.cashBalance.toFixed(),
    ]).toEqual(['-0.065', '-0.065', '0', exchange.wallet('k', MARK_TIME + 5).walletBalance.toFixed()]);
  });

  it('a short receives at a positive rate, at each mark crossed, at the rate set per symbol', () => {
    const exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000' } });
    exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1) }, BEFORE);
    exchange.placeMarketOrder('k', market('ETHUSDT', 'Sell', '1'), BEFORE);
    exchange.fundingRates.set('ETHUSDT', new Dec('0.0005'));
    const fundings = exchange
      .visibleExecutions('k', MARK_TIME + 2 * FUNDING_INTERVAL_MS)
      .filter((execution) => execution.execType === 'Funding');
    expect(fundings.map((execution) => [execution.execTime, execution.execFee.toFixed(), execution.side])).toEqual([
      [MARK_TIME, '-1.5', 'Buy'],
      [MARK_TIME + FUNDING_INTERVAL_MS, '-1.5', 'Buy'],
      [MARK_TIME + 2 * FUNDING_INTERVAL_MS, '-1.5', 'Buy'],
    ]);
    expect(exchange.visiblePositions('k', 'ETHUSDT', MARK_TIME + 2 * FUNDING_INTERVAL_MS)[0]?.size.toFixed()).toBe('-1');
  });

  it('a position closed (here by a forced close) before the mark pays nothing; flat symbols pay nothing', () => {
    const exchange = newExchange({ prices: { BTCUSDT: '65000' } });
    exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1) }, BEFORE);
    exchange.faults.replace({ closeAfterFillMs: 1000 });
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), BEFORE);
    expect(exchange.visibleExecutions('k', MARK_TIME + 1).map((execution) => execution.execType)).toEqual(['Trade', 'BustTrade']);
  });

  it('settles on demand, for one symbol or all, positions traded by hand included', () => {
    const exchange = withLong();
    exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '1', { orderLinkId: 'manual-1' }), BEFORE);
    const booked = exchange.settleFundingNow(BEFORE + 10, 'ETHUSDT');
    expect(booked.map(({ apiKey, execution }) => [apiKey, execution.symbol, execution.execFee.toFixed(), execution.execTime])).toEqual([
      ['k', 'ETHUSDT', '0.3', BEFORE + 10],
    ]);
    expect(exchange.settleFundingNow(BEFORE + 20).map(({ execution }) => execution.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(exchange.visibleOrders('k', BEFORE + 20).map((order) => order.cumExecQty.toFixed())).toEqual(['0.01', '1']);
  });

  it('settles each side of a hedge-mode symbol on its own: the long pays, the short receives', () => {
    const exchange = newExchange({ prices: { BTCUSDT: '65000' } });
    exchange.createAccount(
      { apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1), positionMode: 'Hedge' },
      BEFORE,
    );
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.02', { positionIdx: 1 }), BEFORE);
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01', { positionIdx: 2 }), BEFORE);
    const booked = exchange.settleFundingNow(BEFORE + 1);
    expect(booked.map(({ execution }) => [execution.positionIdx, execution.side, execution.execFee.toFixed()])).toEqual([
      [1, 'Sell', '0.13'],
      [2, 'Buy', '-0.065'],
    ]);
    expect(exchange.visiblePositions('k', 'BTCUSDT', BEFORE + 1).map((position) => position.size.toFixed())).toEqual(['0.02', '-0.01']);
  });
});
