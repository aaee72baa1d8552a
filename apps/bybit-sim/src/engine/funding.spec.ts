import { Dec } from './decimal';
import { FUNDING_INTERVAL_MS, fundingMarksBetween, fundingSettlement, nextFundingMark } from './funding';
import { flatPosition } from './position-math';
import { PositionState } from './types';

const MIDNIGHT = Date.UTC(2026, 10, 29);

function position(size: string): PositionState {
  return { ...flatPosition('BTCUSDT', MIDNIGHT), size: new Dec(size), entryPrice: new Dec(60000) };
}

describe('funding', () => {
  it('settles at 00:00, 08:00 and 16:00 UTC', () => {
    expect(FUNDING_INTERVAL_MS).toBe(8 * 3600 * 1000);
    expect(fundingMarksBetween(MIDNIGHT - 1, MIDNIGHT + 16 * 3600 * 1000).map((mark) => new Date(mark).toISOString())).toEqual([
      '2026-11-29T00:00:00.000Z',
      '2026-11-29T08:00:00.000Z',
      '2026-11-29T16:00:00.000Z',
    ]);
    expect(fundingMarksBetween(MIDNIGHT, MIDNIGHT + FUNDING_INTERVAL_MS - 1)).toEqual([]);
    expect(nextFundingMark(MIDNIGHT)).toBe(MIDNIGHT + FUNDING_INTERVAL_MS);
    expect(nextFundingMark(MIDNIGHT - 1)).toBe(MIDNIGHT);
  });

  it('a long pays at a positive rate, a short receives; the other way round at a negative rate', () => {
    const mark = new Dec(65000);
    const longPays = fundingSettlement(position('0.01'), mark, new Dec('0.0001'), MIDNIGHT, 100001);
    expect([longPays.positionValue.toFixed(), longPays.fee.toFixed(), longPays.executionSide]).toEqual(['650', '0.065', 'Sell']);
    expect(longPays.orderId).toBe(`${MIDNIGHT / 1000}-BTCUSDT-100001-Sell`);
    expect(fundingSettlement(position('-0.01'), mark, new Dec('0.0001'), MIDNIGHT, 1).fee.toFixed()).toBe('-0.065');
    expect(fundingSettlement(position('-0.01'), mark, new Dec('0.0001'), MIDNIGHT, 1).executionSide).toBe('Buy');
    expect(fundingSettlement(position('0.01'), mark, new Dec('-0.0003'), MIDNIGHT, 1).fee.toFixed()).toBe('-0.195');
    expect(fundingSettlement(position('-0.01'), mark, new Dec('-0.0003'), MIDNIGHT, 1).fee.toFixed()).toBe('0.195');
    expect(fundingSettlement(position('0.003'), new Dec('65000.1'), new Dec('0.000123'), MIDNIGHT, 1).fee.toFixed()).toBe('0.02398504');
    expect(() => fundingSettlement(position('0'), mark, new Dec('0.0001'), MIDNIGHT, 1)).toThrow(/flat/);
  });
});
