import { retCodeOf } from '../testing/engine-fixture';
import { loadDefaultCatalogue } from './instruments';
import { modeFromWire, resolveOrderPosition, symbolsToSwitch } from './position-modes';
import { PositionMode } from './types';

const catalogue = loadDefaultCatalogue();

describe('position modes', () => {
  it('one-way takes positionIdx 0 or none; anything else is 10001 "position idx not match position mode"', () => {
    expect(resolveOrderPosition('OneWay', undefined, 'Buy')).toEqual({ positionIdx: 0, closing: false });
    expect(resolveOrderPosition('OneWay', 0, 'Sell')).toEqual({ positionIdx: 0, closing: false });
    expect(() => resolveOrderPosition('OneWay', 1, 'Buy')).toThrow('params error: position idx not match position mode');
    expect(retCodeOf(() => resolveOrderPosition('OneWay', 2, 'Sell'))).toBe(10001);
  });

  it('hedge requires 1 or 2; a Sell on 1 and a Buy on 2 close their side', () => {
    expect(resolveOrderPosition('Hedge', 1, 'Buy')).toEqual({ positionIdx: 1, closing: false });
    expect(resolveOrderPosition('Hedge', 1, 'Sell')).toEqual({ positionIdx: 1, closing: true });
    expect(resolveOrderPosition('Hedge', 2, 'Sell')).toEqual({ positionIdx: 2, closing: false });
    expect(resolveOrderPosition('Hedge', 2, 'Buy')).toEqual({ positionIdx: 2, closing: true });
    expect(retCodeOf(() => resolveOrderPosition('Hedge', undefined, 'Buy'))).toBe(10001);
    expect(retCodeOf(() => resolveOrderPosition('Hedge', 0, 'Buy'))).toBe(10001);
    expect(retCodeOf(() => resolveOrderPosition('Hedge', 3, 'Buy'))).toBe(10001);
  });

  it('reads switch-mode modes 0 and 3 only', () => {
    expect([0, 3, 1, 2].map(modeFromWire)).toEqual(['OneWay', 'Hedge', undefined, undefined]);
  });

  describe('switching', () => {
    const modes = new Map<string, PositionMode>(catalogue.symbols().map((symbol) => [symbol, 'OneWay']));
    const current = (symbol: string): PositionMode => modes.get(symbol) ?? 'OneWay';
    const none = (): boolean => false;

    it('switches one symbol, or every USDT symbol not yet in the mode', () => {
      expect(symbolsToSwitch(catalogue, { symbol: 'BTCUSDT' }, 'Hedge', current, none)).toEqual(['BTCUSDT']);
      const mixed = (symbol: string): PositionMode => (symbol === 'ETHUSDT' ? 'Hedge' : 'OneWay');
      expect(symbolsToSwitch(catalogue, { coin: 'USDT' }, 'Hedge', mixed, none)).toEqual(
        catalogue.symbols().filter((symbol) => symbol !== 'ETHUSDT'),
      );
    });

    it('answers 110025 when nothing changes, symbol-wide or coin-wide', () => {
      expect(retCodeOf(() => symbolsToSwitch(catalogue, { symbol: 'BTCUSDT' }, 'OneWay', current, none))).toBe(110025);
      expect(retCodeOf(() => symbolsToSwitch(catalogue, { coin: 'USDT' }, 'OneWay', current, none))).toBe(110025);
    });

    it('answers 110024 when a symbol to switch holds a position, but not for one already in the mode', () => {
      const btcOpen = (symbol: string): boolean => symbol === 'BTCUSDT';
      expect(retCodeOf(() => symbolsToSwitch(catalogue, { symbol: 'BTCUSDT' }, 'Hedge', current, btcOpen))).toBe(110024);
      expect(retCodeOf(() => symbolsToSwitch(catalogue, { coin: 'USDT' }, 'Hedge', current, btcOpen))).toBe(110024);
      const btcHedged = (symbol: string): PositionMode => (symbol === 'BTCUSDT' ? 'Hedge' : 'OneWay');
      expect(symbolsToSwitch(catalogue, { coin: 'USDT' }, 'Hedge', btcHedged, btcOpen)).not.toContain('BTCUSDT');
      expect(retCodeOf(() => symbolsToSwitch(catalogue, { symbol: 'BTCUSDT' }, 'Hedge', btcHedged, btcOpen))).toBe(110025);
    });

    it('refuses an unlisted symbol or coin with 10001', () => {
      expect(retCodeOf(() => symbolsToSwitch(catalogue, { symbol: 'FOOUSDT' }, 'Hedge', current, none))).toBe(10001);
      expect(retCodeOf(() => symbolsToSwitch(catalogue, { coin: 'USDC' }, 'Hedge', current, none))).toBe(10001);
    });
  });
});
