import { Dec } from './decimal';
import { bybitErrorOf as errorOf } from '../testing/engine-fixture';
import { loadDefaultCatalogue } from './instruments';
import { checkLeverageMargin, checkLeverageRequest, initialLeverage, leverageOf, liquidationPrice, totalInitialMargin } from './leverage';
import { flatPosition } from './position-math';
import { LeverageSetting, PositionIdx, PositionState } from './types';

const catalogue = loadDefaultCatalogue();
const btc = catalogue.get('BTCUSDT');
const setting = (buy: string, sell = buy): LeverageSetting => ({ buyLeverage: new Dec(buy), sellLeverage: new Dec(sell) });
const position = (size: string, entry: string, positionIdx: PositionIdx = 0, symbol = 'BTCUSDT'): PositionState => ({
  ...flatPosition(symbol, 0, positionIdx),
  size: new Dec(size),
  entryPrice: new Dec(entry),
});

describe('leverage and margin', () => {
  it('a hedge side uses its side leverage, a one-way position the leverage of its direction', () => {
    const split = setting('5', '20');
    expect(leverageOf(split, position('1', '100', 1)).toFixed()).toBe('5');
    expect(leverageOf(split, position('-1', '100', 2)).toFixed()).toBe('20');
    expect(leverageOf(split, position('1', '100')).toFixed()).toBe('5');
    expect(leverageOf(split, position('-1', '100')).toFixed()).toBe('20');
  });

  it('initial margin is notional at entry over leverage, summed over positions', () => {
    const positions = [position('0.1', '65000', 1), position('-0.1', '64000', 2), position('2', '3000', 0, 'ETHUSDT')];
    const im = totalInitialMargin(positions, (p) => leverageOf(p.symbol === 'ETHUSDT' ? setting('2') : setting('10', '4'), p));
    // 6500 / 10 + 6400 / 4 + 6000 / 2
    expect(im.toFixed()).toBe('5250');
  });

  it('a new symbol starts at the account default, capped to its leverageFilter', () => {
    expect(initialLeverage(btc, new Dec(10))).toEqual(setting('10'));
    expect(initialLeverage(catalogue.get('ZRXUSDT'), new Dec(50)).buyLeverage.toFixed()).toBe('25');
  });

  it('refuses leverage outside the filter naming the bound, a bad step, and buy ≠ sell in one-way', () => {
    expect(errorOf(() => checkLeverageRequest(btc, 'OneWay', setting('10'), setting('101')))?.retMsg).toBe(
      'params error: buyLeverage 101 must be between minLeverage 1 and maxLeverage 100',
    );
    expect(errorOf(() => checkLeverageRequest(btc, 'OneWay', setting('10'), setting('0.5')))?.retCode).toBe(10001);
    expect(errorOf(() => checkLeverageRequest(btc, 'OneWay', setting('10'), setting('2.005')))?.retMsg).toMatch(/leverageStep 0.01/);
    expect(errorOf(() => checkLeverageRequest(btc, 'OneWay', setting('10'), setting('5', '6')))?.retMsg).toBe(
      'params error: buyLeverage must equal sellLeverage in one-way mode',
    );
    expect(errorOf(() => checkLeverageRequest(btc, 'Hedge', setting('10'), setting('5', '6')))).toBeUndefined();
  });

  it('answers 110043 when nothing changes', () => {
    expect(errorOf(() => checkLeverageRequest(btc, 'OneWay', setting('10'), setting('10.00')))?.retCode).toBe(110043);
    expect(errorOf(() => checkLeverageRequest(btc, 'Hedge', setting('10', '5'), setting('10', '5')))?.retCode).toBe(110043);
  });

  it('answers 110044 only when raised margin exceeds the wallet', () => {
    expect(errorOf(() => checkLeverageMargin(new Dec(1000), new Dec(650), new Dec(1300)))?.retCode).toBe(110044);
    expect(errorOf(() => checkLeverageMargin(new Dec(1000), new Dec(650), new Dec(1000)))).toBeUndefined();
    // Lowering margin is always allowed, even on an account already under water.
    expect(errorOf(() => checkLeverageMargin(new Dec(100), new Dec(650), new Dec(325)))).toBeUndefined();
  });

  it('approximates the isolated liquidation price per side, "" (undefined) when flat', () => {
    expect(liquidationPrice(btc, position('0.1', '60000', 1), new Dec(10))?.toFixed()).toBe('54300');
    expect(liquidationPrice(btc, position('-0.1', '60000', 2), new Dec(10))?.toFixed()).toBe('65700');
    expect(liquidationPrice(btc, position('0.1', '60000'), new Dec(1))?.toFixed()).toBe('300');
    expect(liquidationPrice(btc, position('0', '0'), new Dec(10))).toBeUndefined();
  });
});
