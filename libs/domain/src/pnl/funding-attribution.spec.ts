import fc from 'fast-check';
import Decimal from 'decimal.js';
import { attributeFunding, FundingHolder, FundingSettlement } from './funding-attribution';

const at = new Date('2026-11-29T16:00:00Z');
const before = new Date('2026-11-29T15:00:00Z');
const after = new Date('2026-11-29T16:00:01Z');

const settlement = (over: Partial<FundingSettlement> = {}): FundingSettlement => ({
  settlementId: 'f1',
  symbol: 'BTCUSDT',
  side: 'buy',
  positionSize: '0.03',
  feeUsdt: '0.3',
  fundingRate: '0.0001',
  settledAt: at,
  ...over,
});
const holder = (positionId: string, quantity: string, over: Partial<FundingHolder> = {}): FundingHolder => ({
  positionId,
  symbol: 'BTCUSDT',
  side: 'buy',
  quantity,
  heldSince: before,
  ...over,
});
const byPosition = (shares: ReturnType<typeof attributeFunding>) => Object.fromEntries(shares.map((s) => [s.positionId, s.fundingUsdt]));

describe('attributeFunding', () => {
  it('a position that is the whole exchange position pays all of it (a long paying 0.3 USDT)', () => {
    expect(attributeFunding([settlement()], [holder('p1', '0.03')])).toEqual([
      {
        settlementId: 'f1',
        positionId: 'p1',
        symbol: 'BTCUSDT',
        side: 'buy',
        heldQuantity: '0.03',
        positionSize: '0.03',
        fundingRate: '0.0001',
        fundingUsdt: '-0.3',
        settledAt: at,
      },
    ]);
  });

  it('received funding (a negative fee) is a positive P&L', () => {
    expect(byPosition(attributeFunding([settlement({ side: 'sell', feeUsdt: '-0.3' })], [holder('p1', '0.03', { side: 'sell' })]))).toEqual(
      { p1: '0.3' },
    );
  });

  it('two baskets share the exchange position pro rata; a manual trade in the symbol keeps its own part', () => {
    // The exchange holds 0.04: 0.01 + 0.02 are our baskets, 0.01 was bought by hand.
    const shares = attributeFunding([settlement({ positionSize: '0.04', feeUsdt: '0.4' })], [holder('p1', '0.01'), holder('p2', '0.02')]);
    expect(byPosition(shares)).toEqual({ p1: '-0.1', p2: '-0.2' });
  });

  it('positions expecting more than the exchange held (reduced by hand) split the funding, never more', () => {
    const shares = attributeFunding([settlement({ positionSize: '0.015', feeUsdt: '0.15' })], [holder('p1', '0.01'), holder('p2', '0.02')]);
    expect(byPosition(shares)).toEqual({ p1: '-0.05', p2: '-0.1' });
  });

  it('a position opened after the settlement, or on the other side of a hedge-mode symbol, or in another symbol, gets nothing', () => {
    const shares = attributeFunding(
      [settlement()],
      [
        holder('late', '0.03', { heldSince: after }),
        holder('short', '0.03', { side: 'sell' }),
        holder('eth', '0.03', { symbol: 'ETHUSDT' }),
        holder('p1', '0.03'),
      ],
    );
    expect(byPosition(shares)).toEqual({ p1: '-0.3' });
  });

  it('rounds each share to 8 decimals', () => {
    expect(byPosition(attributeFunding([settlement({ positionSize: '3', feeUsdt: '1' })], [holder('p1', '1')]))).toEqual({
      p1: '-0.33333333',
    });
  });

  it('refuses a size that is not a positive decimal', () => {
    expect(() => attributeFunding([settlement({ positionSize: '0' })], [holder('p1', '1')])).toThrow(/FUNDING|greater than zero/);
  });

  it('property: the shares never exceed the funding, and equal it (to rounding) when the positions hold all of it', () => {
    const qty = fc.integer({ min: 1, max: 10_000 }).map((n) => new Decimal(n).div(1000).toFixed());
    fc.assert(
      fc.property(
        fc.array(qty, { minLength: 1, maxLength: 6 }),
        qty,
        fc.integer({ min: -100_000, max: 100_000 }),
        (quantities, size, feeMilli) => {
          const fee = new Decimal(feeMilli).div(1000);
          const holders = quantities.map((q, i) => holder(`p${i}`, q));
          const shares = attributeFunding([settlement({ positionSize: size, feeUsdt: fee.toFixed() })], holders);
          const sum = shares.reduce((acc, s) => acc.plus(s.fundingUsdt), new Decimal(0)).neg();
          const held = quantities.reduce((acc, q) => acc.plus(q), new Decimal(0));
          const tolerance = new Decimal('0.00000001').times(quantities.length);
          expect(sum.abs().lte(fee.abs().plus(tolerance))).toBe(true);
          if (held.gte(size)) expect(sum.minus(fee).abs().lte(tolerance)).toBe(true);
        },
      ),
    );
  });
});
