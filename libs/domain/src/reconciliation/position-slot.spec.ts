import { compareSlots, hedgeSideOfLeg, slotInGrace, slotKey, slotLabel } from './position-slot';

describe('position slots', () => {
  it('hedge mode puts a buy leg on the long side and a sell leg on the short side; one-way has no side', () => {
    expect(hedgeSideOfLeg('hedge', 'buy')).toBe('long');
    expect(hedgeSideOfLeg('hedge', 'sell')).toBe('short');
    expect(hedgeSideOfLeg('one_way', 'buy')).toBeUndefined();
    expect(hedgeSideOfLeg('one_way', 'sell')).toBeUndefined();
  });

  it('refuses an unknown position mode or leg side', () => {
    expect(() => hedgeSideOfLeg('both' as never, 'buy')).toThrow(expect.objectContaining({ code: 'RECONCILIATION.INVALID_INPUT' }));
    expect(() => hedgeSideOfLeg('hedge', 'long' as never)).toThrow(expect.objectContaining({ code: 'RECONCILIATION.INVALID_INPUT' }));
  });

  it('a one-way slot is keyed and named by its bare symbol, a hedge slot by symbol and side', () => {
    expect(slotKey('BTCUSDT', null)).toBe('BTCUSDT');
    expect(slotKey('BTCUSDT', undefined)).toBe('BTCUSDT');
    expect(slotKey('BTCUSDT', 'short')).toBe('BTCUSDT:short');
    expect(slotLabel('BTCUSDT', null)).toBe('BTCUSDT');
    expect(slotLabel('BTCUSDT', 'long')).toBe('BTCUSDT long side');
  });

  it('grace by bare symbol covers every slot of it; grace by slot key only that side', () => {
    expect(slotInGrace(new Set(['BTCUSDT']), 'BTCUSDT', 'short')).toBe(true);
    expect(slotInGrace(new Set(['BTCUSDT:long']), 'BTCUSDT', 'long')).toBe(true);
    expect(slotInGrace(new Set(['BTCUSDT:long']), 'BTCUSDT', 'short')).toBe(false);
    expect(slotInGrace(new Set(['BTCUSDT:long']), 'BTCUSDT', null)).toBe(false);
  });

  it('orders slots by symbol, then one-way, long, short', () => {
    const slots = [
      { symbol: 'ETHUSDT', hedgeSide: null },
      { symbol: 'BTCUSDT', hedgeSide: 'short' as const },
      { symbol: 'BTCUSDT', hedgeSide: 'long' as const },
      { symbol: 'BTCUSDT', hedgeSide: null },
    ];
    expect([...slots].sort(compareSlots).map((s) => slotKey(s.symbol, s.hedgeSide))).toEqual([
      'BTCUSDT',
      'BTCUSDT:long',
      'BTCUSDT:short',
      'ETHUSDT',
    ]);
  });
});
