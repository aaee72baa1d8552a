// Hedge mode on the exchange: two independent sides per symbol, closing per side, the mode
// switch rules, per-side lag and forced closes.
import { Dec } from './decimal';
import { Exchange } from './exchange';
import { market, newExchange, retCodeOf } from '../testing/engine-fixture';

const T0 = 1_700_000_000_000;

describe('hedge mode', () => {
  let exchange: Exchange;
  const sizes = (now: number): [number, string, string][] =>
    exchange
      .visiblePositions('k', 'BTCUSDT', now)
      .map((position) => [position.positionIdx, position.size.toFixed(), position.entryPrice.toFixed()]);

  beforeEach(() => {
    exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000' } });
    exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000'), positionMode: 'Hedge' }, T0);
  });

  it('holds a long (1) and a short (2) side at once; the list shows both sides, flat ones too', () => {
    expect(sizes(T0)).toEqual([
      [1, '0', '0'],
      [2, '0', '0'],
    ]);
    const long = exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.1', { positionIdx: 1 }), T0);
    exchange.prices.set('BTCUSDT', new Dec('66000'));
    const short = exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.05', { positionIdx: 2 }), T0 + 1);
    expect([long.positionIdx, short.positionIdx]).toEqual([1, 2]);
    expect(exchange.visibleExecutions('k', T0 + 1).map((execution) => execution.positionIdx)).toEqual([1, 2]);
    expect(sizes(T0 + 1)).toEqual([
      [1, '0.1', '65000'],
      [2, '-0.05', '66000'],
    ]);
    expect(exchange.visibleOpenPositions('k', T0 + 1).map((position) => position.positionIdx)).toEqual([1, 2]);
  });

  it('reduces a side with a reduce-only order on it, clipped to that side, and realises its PnL', () => {
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.1', { positionIdx: 1 }), T0);
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.02', { positionIdx: 2 }), T0);
    exchange.prices.set('BTCUSDT', new Dec('66000'));
    const wallet = exchange.wallet('k', T0).walletBalance;
    const close = exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '1', { positionIdx: 1, reduceOnly: true }), T0 + 1);
    expect(close.qty.toFixed()).toBe('0.1');
    expect(sizes(T0 + 1)).toEqual([
      [1, '0', '0'],
      [2, '-0.02', '65000'],
    ]);
    // +100 realised on the long, −3.63 fee (6600 × 0.00055); the short side is untouched.
    expect(
      exchange
        .wallet('k', T0 + 1)
        .walletBalance.minus(wallet)
        .toFixed(),
    ).toBe('96.37');
  });

  it('treats a Sell on 1 / Buy on 2 without reduceOnly as closing that side (as ccxt hedged closes rely on)', () => {
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.03', { positionIdx: 2 }), T0);
    const close = exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.05', { positionIdx: 2 }), T0 + 1);
    expect(close).toMatchObject({ positionIdx: 2, reduceOnly: false });
    expect(close.qty.toFixed()).toBe('0.03');
    expect(sizes(T0 + 1)).toEqual([
      [1, '0', '0'],
      [2, '0', '0'],
    ]);
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01', { positionIdx: 1 }), T0 + 2))).toBe(110017);
  });

  it('applies 110017 per side: a reduce-only order on the opening side or a flat side is refused', () => {
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.1', { positionIdx: 1 }), T0);
    expect(
      retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { positionIdx: 2, reduceOnly: true }), T0)),
    ).toBe(110017);
    expect(
      retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { positionIdx: 1, reduceOnly: true }), T0)),
    ).toBe(110017);
  });

  it('refuses positionIdx that does not fit the mode, per symbol', () => {
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0))).toBe(10001);
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { positionIdx: 0 }), T0))).toBe(10001);
    exchange.switchPositionMode('k', { symbol: 'ETHUSDT' }, 'OneWay', T0);
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '0.1', { positionIdx: 1 }), T0))).toBe(10001);
    expect(exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '0.1'), T0).positionIdx).toBe(0);
  });

  it('switches only flat symbols: 110024 with a position on either side, 110025 when unchanged', () => {
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01', { positionIdx: 2 }), T0);
    expect(retCodeOf(() => exchange.switchPositionMode('k', { symbol: 'BTCUSDT' }, 'OneWay', T0))).toBe(110024);
    expect(retCodeOf(() => exchange.switchPositionMode('k', { coin: 'USDT' }, 'OneWay', T0))).toBe(110024);
    expect(retCodeOf(() => exchange.switchPositionMode('k', { symbol: 'BTCUSDT' }, 'Hedge', T0))).toBe(110025);
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { positionIdx: 2, reduceOnly: true }), T0 + 1);
    expect(exchange.switchPositionMode('k', { coin: 'USDT' }, 'OneWay', T0 + 1)).toHaveLength(8);
    expect(exchange.visiblePositions('k', 'BTCUSDT', T0 + 1).map((position) => position.positionIdx)).toEqual([0]);
  });

  it('lags each side on its own fill times', () => {
    exchange.faults.replace({ positionVisibilityLagMs: 1000 });
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { positionIdx: 1 }), T0);
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.02', { positionIdx: 2 }), T0 + 500);
    expect(sizes(T0 + 999).map(([, size]) => size)).toEqual(['0', '0']);
    expect(sizes(T0 + 1000).map(([, size]) => size)).toEqual(['0.01', '0']);
    expect(sizes(T0 + 1500).map(([, size]) => size)).toEqual(['0.01', '-0.02']);
  });

  it('force-closes the side that filled (closeAfterFillMs), leaving the other side', () => {
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { positionIdx: 1 }), T0);
    exchange.faults.replace({ closeAfterFillMs: 1000 });
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.02', { positionIdx: 2 }), T0 + 10);
    expect(sizes(T0 + 1010).map(([, size]) => size)).toEqual(['0.01', '0']);
    const forced = exchange.visibleOrders('k', T0 + 1010)[2];
    expect(forced).toMatchObject({ createType: 'CreateByLiq', side: 'Buy', positionIdx: 2, reduceOnly: true });
  });
});
