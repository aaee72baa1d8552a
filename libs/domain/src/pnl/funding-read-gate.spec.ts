import { fundingFingerprint } from './funding-read-gate';

describe('fundingFingerprint', () => {
  const btc = { symbol: 'BTCUSDT', hedgeSide: null, side: 'long' as const, size: '0.005', cumRealisedPnlUsdt: '-0.19' };
  const eth = { symbol: 'ETHUSDT', hedgeSide: null, side: 'long' as const, size: '0.1', cumRealisedPnlUsdt: '-0.2' };

  it('is the same for the same rows in any order', () => {
    expect(fundingFingerprint([btc, eth])).toBe(fundingFingerprint([eth, btc]));
  });

  it('changes when a settlement moves a row’s realised P&L, a fill its size, or a row comes or goes', () => {
    const before = fundingFingerprint([btc, eth]);
    expect(fundingFingerprint([{ ...btc, cumRealisedPnlUsdt: '-0.21' }, eth])).not.toBe(before);
    expect(fundingFingerprint([{ ...btc, size: '0.006' }, eth])).not.toBe(before);
    expect(fundingFingerprint([btc])).not.toBe(before);
    expect(fundingFingerprint([btc, eth, { ...eth, symbol: 'XRPUSDT' }])).not.toBe(before);
  });

  it('tells the sides of a hedge-mode symbol apart', () => {
    const long = { ...btc, hedgeSide: 'long' as const };
    const short = { ...btc, hedgeSide: 'short' as const, side: 'short' as const };
    expect(fundingFingerprint([long, short])).not.toBe(fundingFingerprint([{ ...long, size: '0.004' }, short]));
  });

  it('concludes nothing (null: read funding) when a row lacks its realised P&L', () => {
    const { cumRealisedPnlUsdt: _omitted, ...bare } = btc;
    expect(fundingFingerprint([bare, eth])).toBeNull();
  });
});
