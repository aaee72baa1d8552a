import type { TrackedPosition } from './expected-exposure';
import { leverageDeviations, LeverageReport } from './leverage-deviation';

const position = (positionId: string, symbols: string[]): TrackedPosition => ({
  positionId,
  status: 'ACTIVE',
  legs: symbols.map((symbol, legIndex) => ({ legIndex, symbol, side: 'buy', quantity: '1', entryPrice: '100' })),
});
const report = (symbol: string, leverage: string | null, size = '1'): LeverageReport => ({
  symbol,
  side: size === '0' ? 'flat' : 'long',
  size,
  leverage,
});

// Seed 001: the basket was opened at 1x; someone raised ETHUSDT to 5x in the app afterwards.
describe('leverageDeviations (a leverage changed by hand on a live position)', () => {
  it('flags the symbol held at 5x, with expected 1x and the actual leverage; 1x symbols are in sync', () => {
    expect(leverageDeviations([position('p-1', ['BTCUSDT', 'ETHUSDT'])], [report('BTCUSDT', '1'), report('ETHUSDT', '5')])).toEqual([
      {
        positionId: 'p-1',
        symbol: 'ETHUSDT',
        expectedLeverage: '1',
        actualLeverage: '5',
        explanation: 'ETHUSDT: leverage expected 1x, actual 5x',
      },
    ]);
  });

  it('every position holding the symbol is flagged once, even with two legs in it; sorted and order-independent', () => {
    const positions = [position('p-2', ['ETHUSDT', 'ETHUSDT']), position('p-1', ['ETHUSDT'])];
    const reports = [report('ETHUSDT', '12.50')];
    const result = leverageDeviations(positions, reports);
    expect(result.map((d) => [d.positionId, d.symbol, d.actualLeverage])).toEqual([
      ['p-1', 'ETHUSDT', '12.5'],
      ['p-2', 'ETHUSDT', '12.5'],
    ]);
    expect(leverageDeviations([...positions].reverse(), reports)).toEqual(result);
  });

  it('a flat symbol, a row without leverage, or a symbol no position holds flags nothing', () => {
    expect(
      leverageDeviations(
        [position('p-1', ['BTCUSDT', 'ETHUSDT'])],
        [report('BTCUSDT', '10', '0'), report('ETHUSDT', null), report('XRPUSDT', '25')],
      ),
    ).toEqual([]);
  });

  it('copies of one symbol that disagree: flagged when any copy is not 1x, with the highest leverage', () => {
    expect(
      leverageDeviations([position('p-1', ['BTCUSDT'])], [report('BTCUSDT', '1'), report('BTCUSDT', '3'), report('BTCUSDT', '2')]),
    ).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', actualLeverage: '3' })]);
  });
});
