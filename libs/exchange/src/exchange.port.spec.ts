import type { PositionView } from './exchange.port';
import { positionModesOf, positionSlot } from './exchange.port';

const view = (symbol: string, hedgeSide: PositionView['hedgeSide'], side: PositionView['side'], size: string): PositionView => ({
  symbol,
  hedgeSide,
  side,
  size,
  entryPrice: null,
  markPrice: null,
  unrealisedPnlUsdt: null,
  leverage: null,
});

describe('positionSlot', () => {
  const hedged = [view('BTCUSDT', 'short', 'short', '0.002'), view('BTCUSDT', 'long', 'long', '0.004'), view('ETHUSDT', null, 'long', '1')];

  it('picks the row of the asked side of a hedge-mode symbol, whatever the order of the rows', () => {
    expect(positionSlot(hedged, 'BTCUSDT', 'long')).toEqual(view('BTCUSDT', 'long', 'long', '0.004'));
    expect(positionSlot(hedged, 'BTCUSDT', 'short')).toEqual(view('BTCUSDT', 'short', 'short', '0.002'));
  });

  it('picks the one-way row with side null, and answers flat for a slot the exchange did not list', () => {
    expect(positionSlot(hedged, 'ETHUSDT', null).size).toBe('1');
    expect(positionSlot(hedged, 'BTCUSDT', null)).toEqual(view('BTCUSDT', null, 'flat', '0'));
    expect(positionSlot(hedged, 'ETHUSDT', 'short')).toEqual(view('ETHUSDT', 'short', 'flat', '0'));
  });
});

describe('positionModesOf', () => {
  it('reads hedge mode from rows on a hedge side, one-way from positionIdx 0 rows, per symbol', () => {
    const modes = positionModesOf([
      view('BTCUSDT', 'long', 'flat', '0'),
      view('BTCUSDT', 'short', 'short', '0.1'),
      view('ETHUSDT', null, 'long', '1'),
    ]);
    expect([...modes]).toEqual([
      ['BTCUSDT', 'hedge'],
      ['ETHUSDT', 'one_way'],
    ]);
    expect(positionModesOf([]).get('XRPUSDT')).toBeUndefined();
  });
});
