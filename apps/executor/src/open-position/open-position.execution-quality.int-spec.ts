import Decimal from 'decimal.js';
import { startTestStack, TestStack } from '@legwork/devstack';

// Execution quality per basket (issue 17): GET /api/positions/:id shows each open leg against its
// arrival mark price, the basket's implementation shortfall and its legging window; the executor
// exports the same figures as histograms when the basket becomes ACTIVE. Against the simulator's
// order book a market leg takes the far side of the spread, so it never fills at the mark: a buy
// pays the ask (above), a sell gets the bid (below), and both are a positive slippage.
describe('execution quality of an open basket', () => {
  let t: TestStack;
  beforeAll(async () => {
    // Fixed prices: the mark read at planning is the mark the book is quoted around at the fill.
    t = await startTestStack({ env: { BYBIT_SIM_PRICE_TICK_MS: '0' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  type QualityLeg = {
    legIndex: number;
    symbol: string;
    side: string;
    arrivalMarkPrice: string;
    averageFillPrice: string | null;
    filledQuantity: string;
    slippageBps: string | null;
    feesUsdt: string;
  };
  type Quality = { legs: QualityLeg[]; implementationShortfallBps: string | null; leggingWindowMs: number | null; legging: string };
  type Leg = { purpose: string; legIndex: number; averagePrice: string; fills: { fee: string; executedAt: string }[] };

  const basketQuality = async (legging: 'sequential' | 'batch', direction: 'long' | 'short') => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction, legging });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['status']).toBe('ACTIVE');
    return { quality: position['executionQuality'] as Quality, legs: position['legs'] as Leg[] };
  };

  const expectConsistent = ({ quality, legs }: { quality: Quality; legs: Leg[] }, side: 'buy' | 'sell') => {
    expect(quality.legs.map((l) => [l.legIndex, l.symbol, l.side])).toEqual([
      [0, 'BTCUSDT', side],
      [1, 'ETHUSDT', side],
      [2, 'XRPUSDT', side],
      [3, 'DOGEUSDT', side],
      [4, 'LTCUSDT', side],
    ]);
    for (const leg of quality.legs) {
      const order = legs.find((l) => l.purpose === 'open' && l.legIndex === leg.legIndex);
      if (!order || leg.slippageBps === null || leg.averageFillPrice === null) throw new Error(`leg ${leg.legIndex} without fills`);
      // Taker on a two-tick book around a fixed mark: worse than the mark, never at it.
      expect({ symbol: leg.symbol, worseThanMark: new Decimal(leg.slippageBps).gt(0) }).toEqual({
        symbol: leg.symbol,
        worseThanMark: true,
      });
      // The exchange's own average (Bybit avgPrice, 8 decimals) agrees with ours from the fills.
      expect(new Decimal(leg.averageFillPrice).minus(order.averagePrice).abs().lte('0.00000001')).toBe(true);
      expect(leg.feesUsdt).toBe(order.fills.reduce((sum, f) => sum.plus(f.fee), new Decimal(0)).toFixed());
    }
    // The shortfall is the legs' slippage weighted by their filled notional at the arrival mark
    // (within the 4-decimal rounding of each leg's figure).
    const weights = quality.legs.map((l) => new Decimal(l.arrivalMarkPrice).times(l.filledQuantity));
    const weighted = quality.legs
      .reduce((sum, l, i) => sum.plus(new Decimal(l.slippageBps ?? 0).times(weights[i] ?? 0)), new Decimal(0))
      .dividedBy(weights.reduce((sum, w) => sum.plus(w), new Decimal(0)));
    expect(new Decimal(quality.implementationShortfallBps ?? NaN).minus(weighted).abs().lte('0.0001')).toBe(true);
    // The window from the exchange's execution times of the recorded fills.
    const times = legs.flatMap((l) => (l.purpose === 'open' ? l.fills.map((f) => Date.parse(f.executedAt)) : []));
    expect(quality.leggingWindowMs).toBe(Math.max(...times) - Math.min(...times));
    expect(quality.leggingWindowMs).toBeGreaterThanOrEqual(0);
  };

  it('sequential long and batch short: slippage against the arrival mark per leg, shortfall, legging window; exported as histograms', async () => {
    const long = await basketQuality('sequential', 'long');
    expect(long.quality.legging).toBe('sequential');
    expectConsistent(long, 'buy');

    const short = await basketQuality('batch', 'short');
    expect(short.quality.legging).toBe('batch');
    expectConsistent(short, 'sell');

    const metrics = await (await fetch(`${t.stack.urls.executor}/metrics`)).text();
    expect(metrics).toMatch(/basket_legging_window_seconds_count\{[^}]*mode="sequential"[^}]*\} 1\n/);
    expect(metrics).toMatch(/basket_legging_window_seconds_count\{[^}]*mode="batch"[^}]*\} 1\n/);
    expect(metrics).toMatch(/leg_slippage_bps_count\{[^}]*\} 10\n/);
    expect(metrics).toMatch(/basket_implementation_shortfall_bps_count\{[^}]*\} 2\n/);
    // Every slippage was positive: none at or below 0 bp.
    expect(metrics).toMatch(/leg_slippage_bps_bucket\{(?=[^}]*le="0")[^}]*\} 0\n/);
  });

  it('a basket refused by its pre-checks shows no execution quality', async () => {
    // A wallet too small for the whole basket at 1x: refused before the first order.
    const user = await t.newUser({ balanceUsdt: '600' });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['status']).toBe('FAILED');
    expect(position['executionQuality']).toBeNull();
  });
});
