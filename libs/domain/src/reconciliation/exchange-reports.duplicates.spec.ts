import { actualExposure } from './exchange-reports';

describe('actualExposure: duplicated exchange reports', () => {
  it('collapses copies of a symbol that state the same position, however the size is written', () => {
    const result = actualExposure([
      { symbol: 'BTCUSDT', side: 'long', size: '0.10', markPrice: '60000' },
      { symbol: 'ETHUSDT', side: 'short', size: '2', markPrice: null },
      { symbol: 'BTCUSDT', side: 'long', size: '0.1', markPrice: '60000.0' },
    ]);
    expect([...result.values()]).toEqual([
      { symbol: 'BTCUSDT', hedgeSide: null, signedSize: '0.1', markPrice: '60000' },
      { symbol: 'ETHUSDT', hedgeSide: null, signedSize: '-2', markPrice: null },
    ]);
  });

  it('reads a size-0 long as flat, so it collapses with a flat copy', () => {
    const result = actualExposure([
      { symbol: 'XRPUSDT', side: 'long', size: '0', markPrice: null },
      { symbol: 'XRPUSDT', side: 'flat', size: '0', markPrice: null },
    ]);
    expect(result.get('XRPUSDT')?.signedSize).toBe('0');
  });

  it('throws CONFLICTING_REPORTS for copies that disagree on size', () => {
    expect(() =>
      actualExposure([
        { symbol: 'BTCUSDT', side: 'long', size: '0.1', markPrice: null },
        { symbol: 'BTCUSDT', side: 'long', size: '0.05', markPrice: null },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'RECONCILIATION.CONFLICTING_REPORTS',
        details: { symbol: 'BTCUSDT', reported: ['long 0.1', 'long 0.05'] },
      }),
    );
  });

  it('throws CONFLICTING_REPORTS for a long and a short in one symbol (hedge mode switched on by hand)', () => {
    expect(() =>
      actualExposure([
        { symbol: 'BTCUSDT', side: 'long', size: '0.1', markPrice: null },
        { symbol: 'BTCUSDT', side: 'short', size: '0.1', markPrice: null },
      ]),
    ).toThrow(expect.objectContaining({ code: 'RECONCILIATION.CONFLICTING_REPORTS' }));
  });

  it('keeps no mark price when the copies disagree on it (a tick is not a position conflict)', () => {
    const result = actualExposure([
      { symbol: 'BTCUSDT', side: 'long', size: '0.1', markPrice: '60000' },
      { symbol: 'BTCUSDT', side: 'long', size: '0.1', markPrice: '60001' },
    ]);
    expect(result.get('BTCUSDT')).toEqual({ symbol: 'BTCUSDT', hedgeSide: null, signedSize: '0.1', markPrice: null });
  });

  it.each([
    [{ symbol: 'BTCUSDT', side: 'flat' as const, size: '0.1', markPrice: null }, /reported flat with size 0.1/],
    [{ symbol: 'BTCUSDT', side: 'long' as const, size: '-0.1', markPrice: null }, /not a non-negative decimal/],
    [{ symbol: 'BTCUSDT', side: 'long' as const, size: '0x10', markPrice: null }, /not a non-negative decimal/],
    [{ symbol: '', side: 'long' as const, size: '1', markPrice: null }, /no symbol/],
  ])('refuses a malformed report %#', (report, message) => {
    expect(() => actualExposure([report])).toThrow(message);
  });
});
