import type { InstrumentRules } from '../composition/compose-basket';
import { planLeverageResets, planRestore } from './plan-restore';

const rules = (symbol: string, qtyStep: string, minOrderQty: string): InstrumentRules => ({
  symbol,
  status: 'trading',
  qtyStep,
  minOrderQty,
  maxMarketOrderQty: '1000',
  minNotionalUsdt: '5',
});
const instruments = new Map([
  ['BTCUSDT', rules('BTCUSDT', '0.001', '0.001')],
  ['ETHUSDT', rules('ETHUSDT', '0.01', '0.01')],
]);
const prices = new Map([
  ['BTCUSDT', '60000'],
  ['ETHUSDT', '3000'],
]);
const btc = { legIndex: 0, symbol: 'BTCUSDT', side: 'buy' as const, quantity: '0.100' };

describe('planRestore ("Restore balance")', () => {
  it('seed 000\'s example: BTC reduced from 0.1 to 0.05 by hand → "Buy 0.050 BTCUSDT"', () => {
    expect(planRestore([btc], new Map([['BTCUSDT', '0.05']]), new Map(), instruments, prices)).toEqual({
      trades: [
        {
          legIndex: 0,
          symbol: 'BTCUSDT',
          hedgeSide: null,
          side: 'buy',
          quantity: '0.050',
          reduceOnly: false,
          description: 'Buy 0.050 BTCUSDT',
        },
      ],
      skipped: [],
    });
  });

  it('extra size added by hand is sold back reduce-only', () => {
    const { trades } = planRestore([btc], new Map([['BTCUSDT', '0.13']]), new Map(), instruments, prices);
    expect(trades).toEqual([
      expect.objectContaining({ side: 'sell', quantity: '0.030', reduceOnly: true, description: 'Sell 0.030 BTCUSDT' }),
    ]);
  });

  it("keeps other positions in the symbol whole (restores only this position's share)", () => {
    // Another position expects 0.2 BTC; the exchange holds 0.25 in total: this one is missing 0.05.
    const { trades } = planRestore([btc], new Map([['BTCUSDT', '0.25']]), new Map([['BTCUSDT', '0.2']]), instruments, prices);
    expect(trades).toEqual([expect.objectContaining({ side: 'buy', quantity: '0.050' })]);
  });

  it('a flipped short leg is bought back through zero, not reduce-only', () => {
    const eth = { legIndex: 1, symbol: 'ETHUSDT', side: 'sell' as const, quantity: '2' };
    const { trades } = planRestore([eth], new Map([['ETHUSDT', '1']]), new Map(), instruments, prices);
    expect(trades).toEqual([expect.objectContaining({ side: 'sell', quantity: '3.00', reduceOnly: false })]);
  });

  it('rounds to the qty step and names deviations too small to trade', () => {
    const plan = planRestore([btc], new Map([['BTCUSDT', '0.0996']]), new Map(), instruments, prices);
    expect(plan.trades).toEqual([]);
    expect(plan.skipped).toEqual([{ symbol: 'BTCUSDT', reason: expect.stringContaining('below the minimum order quantity 0.001') }]);
  });

  it('nothing to do when the exchange matches', () => {
    expect(planRestore([btc], new Map([['BTCUSDT', '0.1']]), new Map(), instruments, prices)).toEqual({ trades: [], skipped: [] });
  });

  it('hedge mode: restores the long side alone, ignoring the short side of the same symbol', () => {
    const longBtc = { ...btc, hedgeSide: 'long' as const };
    // The account's short basket holds −0.04 on the short side; the long side was cut to 0.06 by hand.
    const actual = new Map([
      ['BTCUSDT:long', '0.06'],
      ['BTCUSDT:short', '-0.04'],
    ]);
    const others = new Map([['BTCUSDT:short', '-0.04']]);
    expect(planRestore([longBtc], actual, others, instruments, prices).trades).toEqual([
      {
        legIndex: 0,
        symbol: 'BTCUSDT',
        hedgeSide: 'long',
        side: 'buy',
        quantity: '0.040',
        reduceOnly: false,
        description: 'Buy 0.040 BTCUSDT long side',
      },
    ]);
    // Netted by symbol (one-way) the same numbers would read 0.02 held and ask for 0.08.
    expect(planRestore([btc], new Map([['BTCUSDT', '0.02']]), new Map(), instruments, prices).trades[0]?.quantity).toBe('0.080');
  });

  it('hedge mode: extra on the short side is bought back reduce-only on the short side', () => {
    const shortBtc = { legIndex: 0, symbol: 'BTCUSDT', side: 'sell' as const, quantity: '0.100', hedgeSide: 'short' as const };
    const { trades } = planRestore(
      [shortBtc],
      new Map([
        ['BTCUSDT:short', '-0.13'],
        ['BTCUSDT:long', '0.5'],
      ]),
      new Map(),
      instruments,
      prices,
    );
    expect(trades).toEqual([
      expect.objectContaining({
        hedgeSide: 'short',
        side: 'buy',
        quantity: '0.030',
        reduceOnly: true,
        description: 'Buy 0.030 BTCUSDT short side',
      }),
    ]);
  });
});

describe('planLeverageResets ("Restore balance" of a leverage changed by hand)', () => {
  const eth = { legIndex: 1, symbol: 'ETHUSDT', side: 'sell' as const, quantity: '2' };
  it('offers to set each symbol held at another leverage back to 1x, once per symbol, in leg order', () => {
    const leverages = new Map<string, string | null>([
      ['BTCUSDT', '1'],
      ['ETHUSDT', '5'],
    ]);
    expect(planLeverageResets([eth, btc, { ...eth, legIndex: 2 }], leverages)).toEqual([
      { symbol: 'ETHUSDT', fromLeverage: '5', description: 'Set ETHUSDT leverage 5x → 1x' },
    ]);
  });

  it('nothing to reset for 1x, flat (absent) or unreported leverage', () => {
    expect(
      planLeverageResets(
        [btc, eth],
        new Map([
          ['BTCUSDT', '1.0'],
          ['ETHUSDT', null],
        ]),
      ),
    ).toEqual([]);
    expect(planLeverageResets([btc], new Map())).toEqual([]);
  });
});
