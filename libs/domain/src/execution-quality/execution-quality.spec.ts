import { DomainError } from '../errors/domain-error';
import { executionQuality, QualityLeg } from './execution-quality';

describe('executionQuality', () => {
  // Hand-computed:
  // BTC buy, mark 60000: 0.004 @ 60010 + 0.002 @ 60040 = 360.12 for 0.006 → average 60020,
  //   slippage (60020 − 60000) / 60000 × 10 000 = 3.3333… bp, cost 0.12 on 360 notional.
  // ETH sell, mark 3000: 0.1 @ 2997 → (3000 − 2997) / 3000 × 10 000 = +10 bp (sold below the mark), cost 0.3 on 300.
  // XRP sell, mark 0.5: 200 @ 0.5002 → (0.5 − 0.5002) / 0.5 × 10 000 = −4 bp (sold above the mark), cost −0.04 on 100.
  // DOGE buy: no fills.
  // Shortfall: (0.12 + 0.3 − 0.04) / (360 + 300 + 100) × 10 000 = 0.38 / 760 × 10 000 = 5 bp
  //   = (3.3333… × 360 + 10 × 300 − 4 × 100) / 760. Window: fills at 1000 … 1020 ms → 20 ms.
  const basket: QualityLeg[] = [
    {
      legIndex: 0,
      symbol: 'BTCUSDT',
      side: 'buy',
      arrivalMarkPrice: '60000.0000000000',
      fills: [
        { price: '60010', quantity: '0.004', feeUsdt: '0.132022', execTimeMs: 1000 },
        { price: '60040', quantity: '0.002', feeUsdt: '0.066044', execTimeMs: 1005 },
      ],
    },
    {
      legIndex: 1,
      symbol: 'ETHUSDT',
      side: 'sell',
      arrivalMarkPrice: '3000',
      fills: [{ price: '2997', quantity: '0.1', feeUsdt: '0.16483', execTimeMs: 1020 }],
    },
    {
      legIndex: 2,
      symbol: 'XRPUSDT',
      side: 'sell',
      arrivalMarkPrice: '0.5',
      fills: [{ price: '0.5002', quantity: '200', feeUsdt: '-0.01', execTimeMs: 1012 }],
    },
    { legIndex: 3, symbol: 'DOGEUSDT', side: 'buy', arrivalMarkPrice: '0.2', fills: [] },
  ];

  it('per leg: average fill price, signed slippage against the arrival mark, fees; a leg without fills has no price', () => {
    expect(executionQuality(basket).legs).toEqual([
      {
        legIndex: 0,
        symbol: 'BTCUSDT',
        side: 'buy',
        arrivalMarkPrice: '60000',
        averageFillPrice: '60020',
        filledQuantity: '0.006',
        slippageBps: '3.3333',
        feesUsdt: '0.198066',
      },
      {
        legIndex: 1,
        symbol: 'ETHUSDT',
        side: 'sell',
        arrivalMarkPrice: '3000',
        averageFillPrice: '2997',
        filledQuantity: '0.1',
        slippageBps: '10',
        feesUsdt: '0.16483',
      },
      {
        legIndex: 2,
        symbol: 'XRPUSDT',
        side: 'sell',
        arrivalMarkPrice: '0.5',
        averageFillPrice: '0.5002',
        filledQuantity: '200',
        slippageBps: '-4',
        feesUsdt: '-0.01',
      },
      {
        legIndex: 3,
        symbol: 'DOGEUSDT',
        side: 'buy',
        arrivalMarkPrice: '0.2',
        averageFillPrice: null,
        filledQuantity: '0',
        slippageBps: null,
        feesUsdt: '0',
      },
    ]);
  });

  it('the basket: shortfall weighted by filled notional at the arrival mark, legging window first to last fill', () => {
    const quality = executionQuality(basket);
    expect(quality.implementationShortfallBps).toBe('5');
    expect(quality.leggingWindowMs).toBe(20);
  });

  it('rounds basis points to 4 decimals (half away from zero) and a repeating average to 10', () => {
    const leg = (side: 'buy' | 'sell', mark: string, fills: [string, string][]): QualityLeg => ({
      legIndex: 0,
      symbol: 'X',
      side,
      arrivalMarkPrice: mark,
      fills: fills.map(([price, quantity]) => ({ price, quantity, feeUsdt: '0', execTimeMs: 0 })),
    });
    // 0.00002 / 3 × 10 000 = 0.0666… → 0.0667
    expect(executionQuality([leg('buy', '3', [['3.00002', '1']])]).legs[0]?.slippageBps).toBe('0.0667');
    // 0.00000001 / 2 × 10 000 = 0.00005 → 0.0001; the sell mirror is −0.0001
    expect(executionQuality([leg('buy', '2', [['2.00000001', '1']])]).legs[0]?.slippageBps).toBe('0.0001');
    expect(executionQuality([leg('sell', '2', [['2.00000001', '1']])]).legs[0]?.slippageBps).toBe('-0.0001');
    // (1 × 1 + 2 × 2) / 3 = 1.6666666666… → 1.6666666667; slippage against 1.5: 0.1666…/1.5 × 10 000 = 1111.1111…
    const repeating = executionQuality([
      leg('buy', '1.5', [
        ['1', '1'],
        ['2', '2'],
      ]),
    ]);
    expect(repeating.legs[0]?.averageFillPrice).toBe('1.6666666667');
    expect(repeating.legs[0]?.slippageBps).toBe('1111.1111');
    expect(repeating.leggingWindowMs).toBe(0);
  });

  it('no fills at all: no shortfall and no legging window', () => {
    expect(executionQuality([{ legIndex: 0, symbol: 'BTCUSDT', side: 'buy', arrivalMarkPrice: '60000', fills: [] }])).toEqual({
      legs: [expect.objectContaining({ averageFillPrice: null, slippageBps: null })],
      implementationShortfallBps: null,
      leggingWindowMs: null,
    });
    expect(executionQuality([])).toEqual({ legs: [], implementationShortfallBps: null, leggingWindowMs: null });
  });

  it.each([
    ['a zero arrival mark', { arrivalMarkPrice: '0' }],
    ['a price in exponent notation', { fills: [{ price: '6e4', quantity: '1', feeUsdt: '0', execTimeMs: 0 }] }],
    ['a zero quantity', { fills: [{ price: '60000', quantity: '0', feeUsdt: '0', execTimeMs: 0 }] }],
    ['a fee that is not a number', { fills: [{ price: '60000', quantity: '1', feeUsdt: 'n/a', execTimeMs: 0 }] }],
    ['an execution time that is not a time', { fills: [{ price: '60000', quantity: '1', feeUsdt: '0', execTimeMs: Number.NaN }] }],
  ])('refuses %s', (_, patch) => {
    const leg: QualityLeg = { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', arrivalMarkPrice: '60000', fills: [], ...patch };
    expect(() => executionQuality([leg])).toThrow(DomainError);
    expect(() => executionQuality([leg])).toThrow(expect.objectContaining({ code: 'PNL.INVALID_INPUT' }));
  });
});
