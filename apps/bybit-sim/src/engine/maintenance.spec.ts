import { Dec } from './decimal';
import { maintenanceState } from './maintenance';
import { market, newExchange, retCodeOf } from '../testing/engine-fixture';

const T0 = 1_700_000_000_000;

describe('maintenance', () => {
  it('a window is scheduled, then ongoing, then completed (end exclusive)', () => {
    const window = { id: 'm', title: 't', symbol: undefined, begin: T0, end: T0 + 10 };
    expect([maintenanceState(window, T0 - 1), maintenanceState(window, T0), maintenanceState(window, T0 + 10)]).toEqual([
      'scheduled',
      'ongoing',
      'completed',
    ]);
  });

  it('the exchange in maintenance refuses orders and setting changes with 10016; a symbol in maintenance refuses its orders with 110066', () => {
    const exchange = newExchange({ prices: { BTCUSDT: '65000', ETHUSDT: '3000' } });
    exchange.createAccount({ apiKey: 'k', apiSecret: 's', balanceUsdt: new Dec('10000'), defaultLeverage: new Dec(1) }, T0);
    exchange.maintenance.add({ id: 'x', title: 'System maintenance', symbol: undefined, begin: T0 + 100, end: T0 + 200 });
    exchange.maintenance.add({ id: 'b', title: 'BTCUSDT maintenance', symbol: 'BTCUSDT', begin: T0 + 300, end: T0 + 400 });
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Buy', '0.01'), T0 + 50))).toBeUndefined();
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '0.1'), T0 + 100))).toBe(10016);
    expect(retCodeOf(() => exchange.setLeverage('k', 'ETHUSDT', { buyLeverage: new Dec(2), sellLeverage: new Dec(2) }, T0 + 150))).toBe(
      10016,
    );
    expect(retCodeOf(() => exchange.switchPositionMode('k', { symbol: 'ETHUSDT' }, 'Hedge', T0 + 150))).toBe(10016);
    expect(exchange.visiblePositions('k', 'BTCUSDT', T0 + 150)[0]?.size.toFixed()).toBe('0.01');
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01', { reduceOnly: true }), T0 + 300))).toBe(110066);
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('ETHUSDT', 'Buy', '0.1'), T0 + 300))).toBeUndefined();
    expect(exchange.maintenance.end('BTCUSDT', T0 + 350)).toBe(1);
    expect(retCodeOf(() => exchange.placeMarketOrder('k', market('BTCUSDT', 'Sell', '0.01'), T0 + 351))).toBeUndefined();
    expect(exchange.visibleOrders('k', T0 + 400)).toHaveLength(3);
  });
});
