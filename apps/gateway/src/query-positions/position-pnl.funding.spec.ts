import type { PositionFundingRecord, TradeRecord } from '@legwork/persistence';
import { positionPnl } from './position-pnl';

const trade = (side: 'buy' | 'sell', price: string, quantity: string, fee: string): TradeRecord =>
  ({ symbol: 'BTCUSDT', side, price, quantity, fee, feeCurrency: 'USDT', executedAt: new Date(0) }) as TradeRecord;
const marks = { ok: true as const, prices: new Map([['BTCUSDT', '101000']]), at: new Date(1000), source: 'exchange' as const };
const settlement = {
  symbol: 'BTCUSDT',
  side: 'buy',
  fundingRate: '0.0001000000',
  heldQuantity: '0.0100000000',
  positionSize: '0.0100000000',
  fundingUsdt: '-0.1000000000',
  settledAt: new Date(8 * 3600_000),
} as PositionFundingRecord;

describe('P&L with funding (issue 16): its own field, in the total, never a fill', () => {
  it('a holding position: totalUsdt = fills at the mark price + funding; fundingUsdt apart; the settlement listed in the detail', () => {
    const pnl = positionPnl('ACTIVE', [trade('buy', '100000', '0.01', '0.55')], marks, true, {
      totalUsdt: '-0.1',
      settlements: [settlement],
    });
    // 0.01 × (101000 − 100000) − 0.55 = 9.45, then −0.1 of funding.
    expect(pnl).toMatchObject({ source: 'mark-price', unrealisedUsdt: '10', feesUsdt: '0.55', fundingUsdt: '-0.1', totalUsdt: '9.35' });
    expect(pnl?.funding).toEqual([
      {
        symbol: 'BTCUSDT',
        side: 'buy',
        fundingRate: '0.0001',
        heldQuantity: '0.01',
        positionSize: '0.01',
        fundingUsdt: '-0.1',
        settledAt: '1970-01-01T08:00:00.000Z',
      },
    ]);
  });

  it('a closed position: realised − fees + funding received', () => {
    const pnl = positionPnl('CLOSED', [trade('buy', '100000', '0.01', '0.55'), trade('sell', '100500', '0.01', '0.55')], null, false, {
      totalUsdt: '0.2',
    });
    expect(pnl).toMatchObject({ source: 'fills', realisedUsdt: '5', feesUsdt: '1.1', fundingUsdt: '0.2', totalUsdt: '4.1' });
  });

  it('without funding: fundingUsdt "0" and the total as before; mark prices unreadable: total null, funding still shown', () => {
    expect(positionPnl('ACTIVE', [trade('buy', '100000', '0.01', '0.55')], marks, false)).toMatchObject({
      fundingUsdt: '0',
      totalUsdt: '9.45',
    });
    expect(positionPnl('ACTIVE', [trade('buy', '100000', '0.01', '0.55')], null, false, { totalUsdt: '-0.1' })).toMatchObject({
      fundingUsdt: '-0.1',
      totalUsdt: null,
    });
  });
});
