import { expectedExposure, signedLegQuantity } from './expected-exposure';

describe('expectedExposure', () => {
  it('sums legs per symbol with buy as + and sell as −, contributors in position then leg order', () => {
    const result = expectedExposure([
      {
        positionId: 'pos-b',
        status: 'ACTIVE',
        legs: [{ legIndex: 0, symbol: 'BTCUSDT', side: 'sell', quantity: '0.030', entryPrice: '60000' }],
      },
      {
        positionId: 'pos-a',
        status: 'ACTIVE',
        legs: [
          { legIndex: 1, symbol: 'ETHUSDT', side: 'buy', quantity: '1', entryPrice: '3000' },
          { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', quantity: '0.100', entryPrice: '60000' },
        ],
      },
    ]);
    expect([...result.keys()]).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(result.get('BTCUSDT')).toEqual({
      signedQuantity: '0.07',
      contributors: [
        { positionId: 'pos-a', legIndex: 0, signedQuantity: '0.1' },
        { positionId: 'pos-b', legIndex: 0, signedQuantity: '-0.03' },
      ],
    });
    expect(result.get('ETHUSDT')?.signedQuantity).toBe('1');
  });

  it('writes a netted-out symbol as "0", never "-0"', () => {
    const result = expectedExposure([
      { positionId: 'a', status: 'ACTIVE', legs: [{ legIndex: 0, symbol: 'BTCUSDT', side: 'sell', quantity: '0.1', entryPrice: '1' }] },
      { positionId: 'b', status: 'ACTIVE', legs: [{ legIndex: 0, symbol: 'BTCUSDT', side: 'buy', quantity: '0.1', entryPrice: '1' }] },
    ]);
    expect(result.get('BTCUSDT')?.signedQuantity).toBe('0');
    expect(signedLegQuantity('sell', '0.5')).toBe('-0.5');
  });

  it('refuses a position listed twice: it would double the expected exposure and fake a deviation', () => {
    const p = { positionId: 'a', status: 'ACTIVE' as const, legs: [] };
    expect(() => expectedExposure([p, p])).toThrow(expect.objectContaining({ code: 'RECONCILIATION.INVALID_INPUT' }));
  });

  it('refuses a repeated leg index and a non-positive quantity', () => {
    const leg = { legIndex: 0, symbol: 'BTCUSDT', side: 'buy' as const, quantity: '0.1', entryPrice: '1' };
    expect(() => expectedExposure([{ positionId: 'a', status: 'ACTIVE', legs: [leg, leg] }])).toThrow(/leg 0 twice/);
    expect(() => expectedExposure([{ positionId: 'a', status: 'ACTIVE', legs: [{ ...leg, quantity: '0' }] }])).toThrow(/greater than zero/);
  });
});
