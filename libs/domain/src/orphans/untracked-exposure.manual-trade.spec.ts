import { untrackedExposure } from './untracked-exposure';

const none = new Set<string>();

describe('untrackedExposure', () => {
  it('seed 004: 86 AVLUSDT long that no position tracks is an orphan in full', () => {
    expect(untrackedExposure(new Map(), [{ symbol: 'AVLUSDT', side: 'long', size: '86', markPrice: '0.41' }], none)).toEqual([
      { symbol: 'AVLUSDT', hedgeSide: null, side: 'long', size: '86', exchangeSize: '86', expectedSignedQuantity: '0' },
    ]);
  });

  it('a manual buy on top of a basket leg: only the size beyond ours is untracked', () => {
    const expected = new Map([['BTCUSDT', '0.1']]);
    expect(
      untrackedExposure(expected, [{ symbol: 'BTCUSDT', hedgeSide: null, side: 'long', size: '0.25', markPrice: null }], none),
    ).toEqual([{ symbol: 'BTCUSDT', hedgeSide: null, side: 'long', size: '0.15', exchangeSize: '0.25', expectedSignedQuantity: '0.1' }]);
  });

  it('a manual sell beyond a short basket leg: the excess short is untracked', () => {
    const expected = new Map([['ETHUSDT', '-2']]);
    expect(
      untrackedExposure(expected, [{ symbol: 'ETHUSDT', hedgeSide: null, side: 'short', size: '3.5', markPrice: null }], none),
    ).toEqual([{ symbol: 'ETHUSDT', hedgeSide: null, side: 'short', size: '1.5', exchangeSize: '3.5', expectedSignedQuantity: '-2' }]);
  });

  it('a position on the other side than ours is untracked in full', () => {
    const expected = new Map([['XRPUSDT', '-86']]);
    expect(untrackedExposure(expected, [{ symbol: 'XRPUSDT', hedgeSide: null, side: 'long', size: '86', markPrice: null }], none)).toEqual([
      { symbol: 'XRPUSDT', hedgeSide: null, side: 'long', size: '86', exchangeSize: '86', expectedSignedQuantity: '-86' },
    ]);
  });

  it('a shortfall (the user reduced our leg) is an alteration, not an orphan', () => {
    const expected = new Map([['BTCUSDT', '0.1']]);
    expect(untrackedExposure(expected, [{ symbol: 'BTCUSDT', side: 'long', size: '0.05', markPrice: null }], none)).toEqual([]);
    expect(untrackedExposure(expected, [{ symbol: 'BTCUSDT', side: 'long', size: '0.100', markPrice: null }], none)).toEqual([]);
  });

  it('flat or unreported symbols have no orphan, even where we expect exposure', () => {
    const expected = new Map([['BTCUSDT', '0.1']]);
    expect(untrackedExposure(expected, [{ symbol: 'SOLUSDT', side: 'flat', size: '0', markPrice: null }], none)).toEqual([]);
  });

  it('skips symbols in grace: a basket still executing may hold fills it has not recorded yet', () => {
    const reports = [
      { symbol: 'BTCUSDT', side: 'long' as const, size: '0.1', markPrice: null },
      { symbol: 'AVLUSDT', side: 'long' as const, size: '86', markPrice: null },
    ];
    expect(untrackedExposure(new Map(), reports, new Set(['BTCUSDT'])).map((c) => c.symbol)).toEqual(['AVLUSDT']);
  });

  it('refuses an expected quantity that is not a decimal', () => {
    expect(() =>
      untrackedExposure(new Map([['BTCUSDT', 'abc']]), [{ symbol: 'BTCUSDT', side: 'long', size: '1', markPrice: null }], none),
    ).toThrow(expect.objectContaining({ code: 'ORPHANS.INVALID_INPUT' }));
  });
});
