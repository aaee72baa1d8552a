import { decideOneXLeverage, isOneX, leverageRefusalReason, oneXReadBackRefusals } from './one-x-leverage';

// Seed 001: every leg is "a 1x leverage market order"; the account's symbols keep whatever was set last.
describe('decideOneXLeverage (seed 001: every leg at 1x)', () => {
  it('an account whose symbols default to 10x, all flat: every symbol is set to 1x', () => {
    const decision = decideOneXLeverage([
      { symbol: 'BTCUSDT', leverage: '10', size: '0' },
      { symbol: 'ETHUSDT', leverage: '10', size: '0' },
    ]);
    expect(decision).toEqual({ toSet: ['BTCUSDT', 'ETHUSDT'], refused: [] });
  });

  it('symbols already at 1x, held or not, need nothing ("1.0" is 1x)', () => {
    expect(
      decideOneXLeverage([
        { symbol: 'BTCUSDT', leverage: '1', size: '0.006' },
        { symbol: 'ETHUSDT', leverage: '1.0', size: '0' },
      ]),
    ).toEqual({ toSet: [], refused: [] });
  });

  it('a symbol held at 5x by hand refuses the basket; a flat one at an unknown leverage is set', () => {
    const decision = decideOneXLeverage([
      { symbol: 'BTCUSDT', leverage: '10', size: '0' },
      { symbol: 'ETHUSDT', leverage: '5', size: '0.5' },
      { symbol: 'XRPUSDT', leverage: null, size: '0' },
    ]);
    expect(decision).toEqual({ toSet: ['BTCUSDT', 'XRPUSDT'], refused: [{ symbol: 'ETHUSDT', kind: 'held', leverage: '5', size: '0.5' }] });
  });

  it('a held position whose leverage is not reported is refused too (its risk is unknown)', () => {
    expect(decideOneXLeverage([{ symbol: 'ETHUSDT', leverage: null, size: '1' }]).refused).toEqual([
      { symbol: 'ETHUSDT', kind: 'held', leverage: null, size: '1' },
    ]);
  });

  it('both sides of a hedge-mode symbol: held when either side is, at 1x only when both are', () => {
    const decision = decideOneXLeverage([
      { symbol: 'BTCUSDT', leverage: '1', size: '0' },
      { symbol: 'BTCUSDT', leverage: '5', size: '0.2' },
      { symbol: 'ETHUSDT', leverage: '1', size: '0.5' },
      { symbol: 'ETHUSDT', leverage: '10', size: '0' },
    ]);
    expect(decision.refused).toEqual([
      { symbol: 'BTCUSDT', kind: 'held', leverage: '5', size: '0.2' },
      { symbol: 'ETHUSDT', kind: 'held', leverage: '10', size: '0.5' },
    ]);
    expect(decision.toSet).toEqual([]);
  });

  it('a symbol listed twice (two legs) is decided once', () => {
    expect(
      decideOneXLeverage([
        { symbol: 'BTCUSDT', leverage: '3', size: '0' },
        { symbol: 'BTCUSDT', leverage: '3', size: '0' },
      ]).toSet,
    ).toEqual(['BTCUSDT']);
  });
});

describe('read back and refusal reason', () => {
  it('a symbol still not at 1x after being set is a read-back refusal', () => {
    expect(
      oneXReadBackRefusals([
        { symbol: 'BTCUSDT', leverage: '1', size: '0' },
        { symbol: 'ETHUSDT', leverage: '10', size: '0' },
      ]),
    ).toEqual([{ symbol: 'ETHUSDT', kind: 'read_back', leverage: '10' }]);
    expect(isOneX(null)).toBe(false);
    expect(isOneX('')).toBe(false);
  });

  it("names every symbol, says why changing a held position's leverage is refused, and that nothing was sent", () => {
    const reason = leverageRefusalReason([
      { symbol: 'ETHUSDT', kind: 'held', leverage: '5', size: '0.5' },
      { symbol: 'XRPUSDT', kind: 'exchange_refused', detail: 'retCode 110044: Available margin is insufficient.' },
      { symbol: 'LTCUSDT', kind: 'read_back', leverage: null },
    ]);
    expect(reason).toBe(
      'leverage cannot be 1x for ETHUSDT, XRPUSDT, LTCUSDT: ' +
        'ETHUSDT is held (0.5) at 5x — setting 1x would change the margin and liquidation price of a position Legwork did not open at that leverage; close it or set it to 1x by hand, then open again; ' +
        'the exchange refused to set XRPUSDT to 1x (retCode 110044: Available margin is insufficient.); ' +
        'LTCUSDT was set to 1x but the exchange still reports an unknown leverage. No order was sent.',
    );
  });
});
