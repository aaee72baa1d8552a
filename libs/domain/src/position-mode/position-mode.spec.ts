import { LiveBasket, hedgeSideOfOrder, oppositeDirectionConflicts } from './position-mode';

describe('hedgeSideOfOrder', () => {
  it('opens a buy on the long side and a sell on the short side; reduce-only reduces the other side', () => {
    expect(hedgeSideOfOrder('hedge', 'buy', false)).toBe('long');
    expect(hedgeSideOfOrder('hedge', 'sell', false)).toBe('short');
    expect(hedgeSideOfOrder('hedge', 'sell', true)).toBe('long');
    expect(hedgeSideOfOrder('hedge', 'buy', true)).toBe('short');
  });

  it('is null in one-way mode, whatever the order', () => {
    expect(hedgeSideOfOrder('one_way', 'buy', false)).toBeNull();
    expect(hedgeSideOfOrder('one_way', 'sell', true)).toBeNull();
  });
});

// Issue 11: a SHORT basket ACTIVE with BTCUSDT and ETHUSDT; a LONG basket in BTCUSDT is asked for.
describe('oppositeDirectionConflicts', () => {
  const short: LiveBasket = {
    positionId: 'p-short',
    status: 'ACTIVE',
    direction: 'short',
    symbols: ['BTCUSDT', 'ETHUSDT'],
    holdsLegs: true,
  };
  const long = { direction: 'long' as const, symbols: ['BTCUSDT', 'XRPUSDT'] };

  it('one-way mode: names the opposite position and the shared symbols', () => {
    expect(oppositeDirectionConflicts('one_way', long, [short])).toEqual([
      { positionId: 'p-short', direction: 'short', symbols: ['BTCUSDT'] },
    ]);
  });

  it('hedge mode: no conflict, each direction has its own side', () => {
    expect(oppositeDirectionConflicts('hedge', long, [short])).toEqual([]);
  });

  it('same direction or no shared symbol is no conflict', () => {
    expect(oppositeDirectionConflicts('one_way', long, [{ ...short, direction: 'long' }])).toEqual([]);
    expect(oppositeDirectionConflicts('one_way', long, [{ ...short, symbols: ['LTCUSDT'] }])).toEqual([]);
  });

  it('counts PENDING, EXECUTING, CLOSING, ROLLING_BACK and a FAILED basket that holds legs; not settled ones', () => {
    for (const status of ['PENDING', 'EXECUTING', 'CLOSING', 'ROLLING_BACK'] as const) {
      expect(oppositeDirectionConflicts('one_way', long, [{ ...short, status }])).toHaveLength(1);
    }
    expect(oppositeDirectionConflicts('one_way', long, [{ ...short, status: 'FAILED', holdsLegs: true }])).toHaveLength(1);
    expect(oppositeDirectionConflicts('one_way', long, [{ ...short, status: 'FAILED', holdsLegs: false }])).toEqual([]);
    for (const status of ['CLOSED', 'ROLLED_BACK'] as const) {
      expect(oppositeDirectionConflicts('one_way', long, [{ ...short, status }])).toEqual([]);
    }
  });
});
