import { acquiredAndMissing, PlannedComponent } from './acquired-and-missing';
import { reconcileAccount } from './reconcile-account';
import type { TrackedLeg } from './expected-exposure';

// Seed 000 "halt, don't reverse": leg 4 of 5 was rejected (insufficient margin), the basket halted,
// legs 0–2 stay held. The UI shows which components were acquired and which are missing.
const planned: PlannedComponent[] = [
  { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', quantity: '0.010' },
  { legIndex: 1, symbol: 'ETHUSDT', side: 'buy', quantity: '0.20' },
  { legIndex: 2, symbol: 'SOLUSDT', side: 'buy', quantity: '4.0' },
  { legIndex: 3, symbol: 'XRPUSDT', side: 'buy', quantity: '300' },
  { legIndex: 4, symbol: 'DOGEUSDT', side: 'buy', quantity: '2000' },
];
const filled: TrackedLeg[] = [
  { legIndex: 2, symbol: 'SOLUSDT', side: 'buy', quantity: '4.0', entryPrice: '150.12' },
  { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', quantity: '0.010', entryPrice: '60010.5' },
  { legIndex: 1, symbol: 'ETHUSDT', side: 'buy', quantity: '0.20', entryPrice: '3001' },
];

describe('a FAILED 3-of-5 basket', () => {
  it('lists the three acquired components and the two missing ones, in leg order', () => {
    expect(acquiredAndMissing(planned, filled)).toEqual({
      acquired: [
        { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', plannedQuantity: '0.01', filledQuantity: '0.01', entryPrice: '60010.5' },
        { legIndex: 1, symbol: 'ETHUSDT', side: 'buy', plannedQuantity: '0.2', filledQuantity: '0.2', entryPrice: '3001' },
        { legIndex: 2, symbol: 'SOLUSDT', side: 'buy', plannedQuantity: '4', filledQuantity: '4', entryPrice: '150.12' },
      ],
      missing: [
        { legIndex: 3, symbol: 'XRPUSDT', side: 'buy', plannedQuantity: '300' },
        { legIndex: 4, symbol: 'DOGEUSDT', side: 'buy', plannedQuantity: '2000' },
      ],
    });
  });

  it('is IN_SYNC on its filled legs when the exchange holds exactly them (FAILED is its status, not a deviation)', () => {
    const result = reconcileAccount(
      [{ positionId: 'pos-f', status: 'FAILED', legs: filled }],
      [
        { symbol: 'BTCUSDT', side: 'long', size: '0.01', markPrice: null },
        { symbol: 'ETHUSDT', side: 'long', size: '0.2', markPrice: null },
        { symbol: 'SOLUSDT', side: 'long', size: '4', markPrice: null },
      ],
    );
    expect(result.positions).toEqual([expect.objectContaining({ positionId: 'pos-f', health: 'IN_SYNC' })]);
    expect(result.positions[0]?.legs.map((l) => l.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
  });

  it('shows a partly filled leg as acquired with its filled quantity', () => {
    const partial = acquiredAndMissing(planned, [{ legIndex: 1, symbol: 'ETHUSDT', side: 'buy', quantity: '0.15', entryPrice: '3001' }]);
    expect(partial.acquired).toEqual([
      { legIndex: 1, symbol: 'ETHUSDT', side: 'buy', plannedQuantity: '0.2', filledQuantity: '0.15', entryPrice: '3001' },
    ]);
    expect(partial.missing.map((m) => m.legIndex)).toEqual([0, 2, 3, 4]);
  });

  it('refuses a filled leg that was never planned, or that contradicts its plan', () => {
    const stray: TrackedLeg = { legIndex: 7, symbol: 'ADAUSDT', side: 'buy', quantity: '1', entryPrice: '1' };
    expect(() => acquiredAndMissing(planned, [stray])).toThrow(expect.objectContaining({ code: 'RECONCILIATION.INVALID_INPUT' }));
    const wrongSide: TrackedLeg = { legIndex: 0, symbol: 'BTCUSDT', side: 'sell', quantity: '0.01', entryPrice: '1' };
    expect(() => acquiredAndMissing(planned, [wrongSide])).toThrow(/planned as buy BTCUSDT/);
    expect(() => acquiredAndMissing([...planned, planned[0] as PlannedComponent], [])).toThrow(/listed twice/);
  });
});
