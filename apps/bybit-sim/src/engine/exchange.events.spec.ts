// The exchange tells its listeners of every account change Bybit pushes on its private stream:
// an order with its executions, position and wallet; funding; a liquidation; a leverage change;
// and a reset. Refused orders tell nothing.
import { Dec } from './decimal';
import { AccountChange, ExchangeEvent } from './events';
import { Exchange } from './exchange';
import { market, newExchange, retCodeOf } from '../testing/engine-fixture';

const T0 = Date.UTC(2026, 10, 29, 9);

function withListener(): { exchange: Exchange; events: ExchangeEvent[] } {
  const exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000' } });
  exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1) }, T0);
  const events: ExchangeEvent[] = [];
  exchange.events.subscribe((event) => events.push(event));
  return { exchange, events };
}

function changes(events: ExchangeEvent[]): AccountChange[] {
  return events.filter((event): event is AccountChange => event.kind === 'account');
}

describe('exchange events', () => {
  it('an order tells its order, one execution per fill with the PnL it realised, the position and the wallet after it', () => {
    const { exchange, events } = withListener();
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.02', { orderLinkId: 'leg-1' }), T0);
    exchange.prices.set('BTCUSDT', new Dec('66000'));
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01', { orderLinkId: 'leg-2' }), T0 + 1);
    const [open, close] = changes(events);
    expect(open).toMatchObject({ cause: 'order', apiKey: 'k', time: T0, order: { orderLinkId: 'leg-1', orderStatus: 'Filled' } });
    expect(open?.executions.map((update) => [update.execution.execType, update.execPnl.toFixed()])).toEqual([['Trade', '0']]);
    expect(open?.positions.map((update) => [update.state.size.toFixed(), update.markPrice.toFixed(), update.leverage.toFixed()])).toEqual([
      ['0.02', '65000', '1'],
    ]);
    // 0.02 × 65000 × 0.00055 = 0.715 of fee.
    expect(open?.wallet.walletBalance.toFixed()).toBe('9999.285');
    // Closing 0.01 at 66000 realises +10 before its fee.
    expect(close?.executions.map((update) => update.execPnl.toFixed())).toEqual(['10']);
    expect(close?.positions[0]?.state.seq).toBe(close?.executions[0]?.execution.seq);
  });

  it('a refused order tells nothing', () => {
    const { exchange, events } = withListener();
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01', { reduceOnly: true }), T0))).toBe(110017);
    expect(events).toEqual([]);
  });

  it('funding tells Funding executions, the positions and the wallet, no order', () => {
    const { exchange, events } = withListener();
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0);
    exchange.placeMarketOrder('k', market('ETHUSDT', 'Sell', '0.1'), T0);
    events.length = 0;
    exchange.settleFundingNow(T0 + 10);
    const [funding] = changes(events);
    expect(events).toHaveLength(1);
    expect(funding).toMatchObject({ cause: 'funding', time: T0 + 10 });
    expect(funding?.order).toBeUndefined();
    expect(funding?.executions.map((update) => [update.execution.symbol, update.execution.execType, update.execPnl.toFixed()])).toEqual([
      ['BTCUSDT', 'Funding', '0'],
      ['ETHUSDT', 'Funding', '0'],
    ]);
    expect(funding?.positions.map((update) => update.state.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
  });

  it('a liquidation tells a CreateByLiq order with a BustTrade execution; a flat position none', () => {
    const { exchange, events } = withListener();
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0);
    events.length = 0;
    const order = exchange.liquidate('k', 'BTCUSDT', 0, T0 + 5);
    expect(order).toMatchObject({ createType: 'CreateByLiq', side: 'Sell', reduceOnly: true, orderLinkId: '' });
    const [liquidation] = changes(events);
    expect(liquidation?.executions.map((update) => update.execution.execType)).toEqual(['BustTrade']);
    expect(liquidation?.positions[0]?.state.size.isZero()).toBe(true);
    expect(exchange.liquidate('k', 'BTCUSDT', 0, T0 + 6)).toBeUndefined();
    expect(events).toHaveLength(1);
  });

  it('a leverage change tells the re-margined positions and the wallet; a reset tells reset', () => {
    const { exchange, events } = withListener();
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0);
    events.length = 0;
    exchange.setLeverage('k', 'BTCUSDT', { buyLeverage: new Dec(2), sellLeverage: new Dec(2) }, T0 + 1);
    const [change] = changes(events);
    expect(change).toMatchObject({ cause: 'leverage', executions: [] });
    expect(change?.positions.map((update) => update.leverage.toFixed())).toEqual(['2']);
    expect(change?.wallet.positionIM.toFixed()).toBe('325');
    exchange.reset();
    expect(events[events.length - 1]).toEqual({ kind: 'reset' });
  });
});
