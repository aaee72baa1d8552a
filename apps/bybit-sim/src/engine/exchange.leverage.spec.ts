// Leverage on the exchange: margin of orders and positions at each symbol's leverage, the
// set-leverage rules against open positions, and instrument status and API key control.
import { Dec } from './decimal';
import { Exchange } from './exchange';
import { market, newExchange, retCodeOf } from '../testing/engine-fixture';

const T0 = 1_700_000_000_000;
const lev = (buy: string, sell = buy) => ({ buyLeverage: new Dec(buy), sellLeverage: new Dec(sell) });

describe('leverage', () => {
  let exchange: Exchange;

  beforeEach(() => {
    exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000' } });
    exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('1000') }, T0);
  });

  it('starts every symbol at the default 10x, or the account default', () => {
    expect(exchange.leverage('k', 'BTCUSDT')).toEqual(lev('10'));
    exchange.createAccount({ apiKey: 'k3', apiSecret: 's', balanceUsdt: new Dec('1000'), defaultLeverage: new Dec(3) }, T0);
    expect(exchange.leverage('k3', 'ETHUSDT')).toEqual(lev('3'));
  });

  it('margins an order at the symbol leverage (110007 follows it)', () => {
    // 0.15 BTC = 9750 notional: 975 of margin at 10x fits 1000, not at 5x.
    exchange.setLeverage('k', 'BTCUSDT', lev('5'), T0);
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.15'), T0))).toBe(110007);
    exchange.setLeverage('k', 'BTCUSDT', lev('10'), T0);
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.15'), T0);
    const wallet = exchange.wallet('k', T0);
    expect(wallet.positionIM.toFixed()).toBe('975');
    expect(wallet.availableBalance.toFixed()).toBe(wallet.walletBalance.minus(975).toFixed());
  });

  it('refuses unchanged leverage (110043) and a lowering the wallet cannot margin (110044), allows raising', () => {
    expect(retCodeOf(() => exchange.setLeverage('k', 'BTCUSDT', lev('10'), T0))).toBe(110043);
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.1'), T0);
    // 6500 notional: 1x needs 6500 > 1000, 7x needs 928.57… ≤ 996.4.
    expect(retCodeOf(() => exchange.setLeverage('k', 'BTCUSDT', lev('1'), T0))).toBe(110044);
    expect(exchange.leverage('k', 'BTCUSDT')).toEqual(lev('10'));
    exchange.setLeverage('k', 'BTCUSDT', lev('7'), T0);
    exchange.setLeverage('k', 'BTCUSDT', lev('20'), T0);
    expect(exchange.wallet('k', T0).positionIM.toFixed()).toBe('325');
  });

  it('checks the leverageFilter and one-way equality, and gives hedge sides their own leverage', () => {
    expect(retCodeOf(() => exchange.setLeverage('k', 'ZRXUSDT', lev('30'), T0))).toBe(10001);
    expect(retCodeOf(() => exchange.setLeverage('k', 'BTCUSDT', lev('5', '6'), T0))).toBe(10001);
    exchange.switchPositionMode('k', { symbol: 'BTCUSDT' }, 'Hedge', T0);
    exchange.setLeverage('k', 'BTCUSDT', lev('5', '2'), T0);
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01', { positionIdx: 1 }), T0);
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01', { positionIdx: 2 }), T0);
    const [long, short] = exchange.visiblePositions('k', 'BTCUSDT', T0);
    expect([long, short].map((position) => position && exchange.positionLeverage('k', position).toFixed())).toEqual(['5', '2']);
    // 650 / 5 + 650 / 2
    expect(exchange.wallet('k', T0).positionIM.toFixed()).toBe('455');
  });
});

describe('instrument status', () => {
  it('refuses orders by status with Bybit codes; Delivering lets reductions through; reset restores Trading', () => {
    const exchange = newExchange({ prices: { BTCUSDT: '65000' } });
    exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000') }, T0);
    exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.02'), T0);
    exchange.setInstrumentStatus('BTCUSDT', 'Closed');
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0))).toBe(110074);
    exchange.setInstrumentStatus('BTCUSDT', 'Settling');
    expect(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0)).toThrow(
      'Settlement in progress! BTCUSDT not available for trading.',
    );
    exchange.setInstrumentStatus('BTCUSDT', 'Delivering');
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0))).toBe(110042);
    expect(exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01', { reduceOnly: true }), T0).qty.toFixed()).toBe('0.01');
    exchange.reset();
    expect(exchange.instrumentStatus('BTCUSDT')).toBe('Trading');
  });
});

describe('API keys', () => {
  it('revoked keys authenticate nothing; an added key reaches the same account, whose identity stays', () => {
    const exchange = newExchange();
    exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10') }, T0);
    exchange.accounts.revokeKey('k');
    expect(exchange.accounts.secretOf('k')).toBeUndefined();
    const account = exchange.accounts.addKey('k', 'k-new', 's-new');
    expect(exchange.accounts.secretOf('k-new')).toBe('s-new');
    expect(exchange.account('k-new')).toBe(account);
    expect(account.apiKey).toBe('k');
    expect(() => exchange.accounts.addKey('k-new', 'k', 'x')).toThrow('apiKey k is taken');
  });
});
