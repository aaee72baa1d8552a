import { Dec } from './decimal';
import { retCodeOf } from '../testing/engine-fixture';
import { loadDefaultCatalogue } from './instruments';
import { applyReduceOnly, checkLotSize, checkMargin, checkMinNotional, checkOrderLinkId } from './order-rules';
import { flatPosition } from './position-math';
import { PositionState } from './types';

const catalogue = loadDefaultCatalogue();
const btc = catalogue.get('BTCUSDT');
const doge = catalogue.get('DOGEUSDT');

const position = (size: string, entry = '100'): PositionState => ({
  ...flatPosition('BTCUSDT', 0),
  size: new Dec(size),
  entryPrice: new Dec(entry),
});

describe('order admission rules', () => {
  describe('orderLinkId', () => {
    it('accepts none, and ids of up to 36 [A-Za-z0-9_-]', () => {
      expect(retCodeOf(() => checkOrderLinkId('', new Set()))).toBeUndefined();
      expect(retCodeOf(() => checkOrderLinkId('a'.repeat(36), new Set()))).toBeUndefined();
      expect(retCodeOf(() => checkOrderLinkId('leg_A-1', new Set()))).toBeUndefined();
    });

    it('refuses long or oddly spelled ids with 10001', () => {
      expect(retCodeOf(() => checkOrderLinkId('a'.repeat(37), new Set()))).toBe(10001);
      expect(retCodeOf(() => checkOrderLinkId('leg:1', new Set()))).toBe(10001);
      expect(retCodeOf(() => checkOrderLinkId('leg 1', new Set()))).toBe(10001);
    });

    it('refuses an id the account used before with 110072', () => {
      expect(retCodeOf(() => checkOrderLinkId('leg-1', new Set(['leg-1'])))).toBe(110072);
    });
  });

  describe('lot size', () => {
    it('accepts multiples of qtyStep within [minOrderQty, maxMktOrderQty]', () => {
      expect(retCodeOf(() => checkLotSize(btc, new Dec('0.001')))).toBeUndefined();
      expect(retCodeOf(() => checkLotSize(btc, new Dec('119')))).toBeUndefined();
      expect(retCodeOf(() => checkLotSize(doge, new Dec('12')))).toBeUndefined();
    });

    it.each([
      ['zero', btc, '0'],
      ['off-step', btc, '0.0015'],
      ['off-step whole coin', doge, '1.5'],
      ['below min', btc, '0.0005'],
      ['above maxMktOrderQty', btc, '119.001'],
    ])('refuses %s with 10001', (_name, instrument, qty) => {
      expect(retCodeOf(() => checkLotSize(instrument, new Dec(qty)))).toBe(10001);
    });
  });

  describe('reduce-only', () => {
    it('clips the qty to the open size', () => {
      expect(applyReduceOnly(position('0.5'), 'Sell', new Dec('2')).toFixed()).toBe('0.5');
      expect(applyReduceOnly(position('-3'), 'Buy', new Dec('1')).toFixed()).toBe('1');
    });

    it('refuses without a position, on a flat one, or on the same side, with 110017', () => {
      expect(retCodeOf(() => applyReduceOnly(undefined, 'Sell', new Dec('1')))).toBe(110017);
      expect(retCodeOf(() => applyReduceOnly(position('0'), 'Sell', new Dec('1')))).toBe(110017);
      expect(retCodeOf(() => applyReduceOnly(position('1'), 'Buy', new Dec('1')))).toBe(110017);
      expect(retCodeOf(() => applyReduceOnly(position('-1'), 'Sell', new Dec('1')))).toBe(110017);
    });
  });

  describe('minimum notional', () => {
    it('refuses qty × mark below minNotionalValue with 110094', () => {
      expect(retCodeOf(() => checkMinNotional(doge, new Dec('41'), new Dec('0.12'), false))).toBe(110094);
      expect(retCodeOf(() => checkMinNotional(doge, new Dec('42'), new Dec('0.12'), false))).toBeUndefined();
    });

    it('lets reduce-only orders close a remainder below it', () => {
      expect(retCodeOf(() => checkMinNotional(doge, new Dec('1'), new Dec('0.12'), true))).toBeUndefined();
    });
  });

  describe('1x margin', () => {
    it('refuses an opening order that leaves available balance negative with 110007', () => {
      expect(retCodeOf(() => checkMargin(new Dec('99.9'), new Dec('100'), new Dec('1')))).toBe(110007);
      expect(retCodeOf(() => checkMargin(new Dec('100'), new Dec('100'), new Dec('1')))).toBeUndefined();
    });

    it('never refuses a pure reduction', () => {
      expect(retCodeOf(() => checkMargin(new Dec('-50'), new Dec('100'), new Dec('0')))).toBeUndefined();
    });
  });
});
