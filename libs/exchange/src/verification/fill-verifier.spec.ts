import type { ExchangePort, ExecutionView, OrderView, PositionView } from '../exchange.port';
import { verifyFill, VerifierClock } from './fill-verifier';

/**
 * An exchange where one market buy of 2 BTCUSDT at 100 filled at t=0, and each source shows it
 * only from its own time on (the seeds' incident: the position shows it last, or never).
 */
interface Timeline {
  orderVisibleAt?: number;
  executionsVisibleAt?: number;
  positionVisibleAt?: number;
  closedByExchangeAt?: number;
  /** A funding settlement on the symbol's position, listed among the symbol's executions from then on. */
  fundingAt?: number;
  orderState?: OrderView['state'];
  filledQuantity?: string;
  readFailuresUntil?: number;
  /**
   * A hedge-mode account: the exchange lists BTCUSDT twice, our buy on the long side and a short
   * of 5 on the short side that has nothing to do with it.
   */
  hedge?: boolean;
}

function scenario(t: Timeline): { exchange: ExchangePort; clock: VerifierClock } {
  let now = 0;
  const clock: VerifierClock = { now: () => now, sleep: async (ms) => void (now += ms) };
  const seen = (at: number | undefined) => at !== undefined && now >= at;
  const failIfDown = () => {
    if (t.readFailuresUntil !== undefined && now < t.readFailuresUntil) throw new Error('503');
  };
  const filled = t.filledQuantity ?? '2';
  const fill: ExecutionView = {
    execId: 'e1',
    exchangeOrderId: 'o1',
    orderLinkId: 'lw1',
    symbol: 'BTCUSDT',
    side: 'buy',
    price: '100',
    quantity: filled,
    fee: '0.1',
    feeCurrency: 'USDT',
    feeRate: '0.00055',
    executedAt: new Date(0),
    kind: 'trade',
  };
  const funding: ExecutionView = {
    ...fill,
    execId: 'f1',
    exchangeOrderId: '',
    orderLinkId: '',
    fee: '0.02',
    feeRate: '0.0001',
    kind: 'funding',
  };
  const bust: ExecutionView = { ...fill, execId: 'e2', exchangeOrderId: 'liq', orderLinkId: '', side: 'sell', kind: 'exchange_close' };
  const exchange: ExchangePort = {
    instrumentRules: async () => new Map(),
    markPrices: async () => new Map(),
    placeMarketOrder: async () => ({ kind: 'accepted', exchangeOrderId: 'o1' }),
    placeMarketOrders: async () => [],
    apiKeyPermissions: async () => ({ readOnly: false, canWithdraw: false, canTradeContracts: true }),
    switchToHedgeMode: async () => undefined,
    maintenanceWindows: async () => {
      throw new Error('verifyFill must not read the system status');
    },
    availableBalance: async () => {
      throw new Error('verifyFill must not read the wallet balance');
    },
    positionsBySymbol: async () => {
      throw new Error('verifyFill must not read positions by symbol');
    },
    setLeverage: async () => {
      throw new Error('verifyFill must not set leverage');
    },
    async findOrder() {
      failIfDown();
      if (!seen(t.orderVisibleAt)) return null;
      return {
        exchangeOrderId: 'o1',
        orderLinkId: 'lw1',
        symbol: 'BTCUSDT',
        side: 'buy',
        state: t.orderState ?? 'filled',
        quantity: '2',
        filledQuantity: t.orderState === 'rejected' ? '0' : filled,
        averagePrice: t.orderState === 'rejected' ? null : '100',
        rejectReason: t.orderState === 'rejected' ? 'EC_NoImmediateQtyToFill' : null,
      };
    },
    async executions(_symbol, filter) {
      failIfDown();
      if ('orderLinkId' in filter) {
        const own = seen(t.executionsVisibleAt) && t.orderState !== 'rejected' ? [fill] : [];
        // A reader that listed funding with the order's rows: it must still not count as a fill.
        return seen(t.fundingAt) ? [...own, { ...funding, orderLinkId: 'lw1' }] : own;
      }
      return [...(seen(t.closedByExchangeAt) ? [fill, bust] : []), ...(seen(t.fundingAt) ? [funding] : [])];
    },
    async positions(symbols): Promise<PositionView[]> {
      failIfDown();
      const open = seen(t.positionVisibleAt) && !seen(t.closedByExchangeAt);
      return (symbols ?? []).flatMap((symbol): PositionView[] => {
        const ours: PositionView = {
          symbol,
          hedgeSide: t.hedge ? 'long' : null,
          side: open ? 'long' : 'flat',
          size: open ? filled : '0',
          entryPrice: open ? '100' : null,
          markPrice: null,
          unrealisedPnlUsdt: null,
          leverage: '1',
        };
        // The short side comes first, so "the first row of the symbol" would be the wrong one.
        return t.hedge ? [{ ...ours, hedgeSide: 'short', side: 'short', size: '5', entryPrice: '90' }, ours] : [ours];
      });
    },
  };
  return { exchange, clock };
}

const order = { symbol: 'BTCUSDT', orderLinkId: 'lw1', side: 'buy' as const, sizeBefore: '0', sentAt: new Date(0) };
const settings = { timeoutMs: 10_000, initialDelayMs: 100, maxDelayMs: 1_000 };

describe('verifyFill (three sources)', () => {
  it('filled and visible everywhere at once', async () => {
    const { exchange, clock } = scenario({ orderVisibleAt: 0, executionsVisibleAt: 0, positionVisibleAt: 0 });
    const v = await verifyFill(exchange, order, settings, clock);
    expect(v).toMatchObject({
      outcome: 'filled_visible',
      fill: { filledQuantity: '2', averagePrice: '100' },
      lags: { order: 0, executions: 0, position: 0 },
    });
  });

  it("the seeds' incident: position lags 6 s behind the fill — waits, never calls it unfilled", async () => {
    const { exchange, clock } = scenario({ orderVisibleAt: 0, executionsVisibleAt: 0, positionVisibleAt: 6_000 });
    const v = await verifyFill(exchange, order, settings, clock);
    expect(v.outcome).toBe('filled_visible');
    expect(v.lags.position).toBeGreaterThanOrEqual(6_000);
    expect(v.lags.order).toBe(0);
  });

  it('position never shows it within the timeout: filled, not visible (the fill is real)', async () => {
    const { exchange, clock } = scenario({ orderVisibleAt: 0, executionsVisibleAt: 0 });
    const v = await verifyFill(exchange, order, settings, clock);
    expect(v).toMatchObject({ outcome: 'filled_not_visible', fill: { filledQuantity: '2' }, lags: { position: null } });
  });

  it('filled then closed by the exchange (a stop-out): fills kept, closing executions reported', async () => {
    const { exchange, clock } = scenario({ orderVisibleAt: 0, executionsVisibleAt: 0, closedByExchangeAt: 300 });
    const v = await verifyFill(exchange, order, settings, clock);
    expect(v.outcome).toBe('filled_then_closed');
    if (v.outcome === 'filled_then_closed') expect(v.closingExecutions.map((e) => e.orderLinkId)).toEqual(['']);
  });

  it('funding settled while the position is not visible yet is not "closed by the exchange" (issue 16)', async () => {
    const { exchange, clock } = scenario({ orderVisibleAt: 0, executionsVisibleAt: 0, fundingAt: 0, positionVisibleAt: 700 });
    const v = await verifyFill(exchange, order, settings, clock);
    expect(v.outcome).toBe('filled_visible');
    if (v.outcome === 'filled_visible') expect(v.fill.fills.map((e) => e.execId)).toEqual(['e1']);
  });

  it("a funding row listed with the order's executions is not part of its fill", async () => {
    const { exchange, clock } = scenario({ executionsVisibleAt: 0, fundingAt: 0, positionVisibleAt: 0 });
    const v = await verifyFill(exchange, order, settings, clock);
    expect(v).toMatchObject({ outcome: 'filled_not_visible', fill: { filledQuantity: '2', averagePrice: '100' } });
    if (v.outcome === 'filled_not_visible') expect(v.fill.fills.map((e) => e.kind)).toEqual(['trade']);
  });

  it("not filled only on the order's own final state with zero fill", async () => {
    const { exchange, clock } = scenario({ orderVisibleAt: 500, orderState: 'rejected' });
    expect(await verifyFill(exchange, order, settings, clock)).toMatchObject({ outcome: 'not_filled', reason: 'EC_NoImmediateQtyToFill' });
  });

  it('nothing visible at all by the timeout: unknown, never "not filled"', async () => {
    const { exchange, clock } = scenario({});
    const v = await verifyFill(exchange, order, settings, clock);
    expect(v.outcome).toBe('unknown');
    expect(clock.now()).toBeLessThanOrEqual(settings.timeoutMs);
  });

  it('read failures are not evidence: it keeps polling through them', async () => {
    const { exchange, clock } = scenario({ orderVisibleAt: 0, executionsVisibleAt: 0, positionVisibleAt: 0, readFailuresUntil: 2_000 });
    expect((await verifyFill(exchange, order, settings, clock)).outcome).toBe('filled_visible');
  });

  it('executions lag behind the order: filled from the order, then complete', async () => {
    const { exchange, clock } = scenario({ orderVisibleAt: 0, executionsVisibleAt: 1_500, positionVisibleAt: 0 });
    const v = await verifyFill(exchange, order, settings, clock);
    expect(v).toMatchObject({ outcome: 'filled_visible', fill: { fills: [expect.objectContaining({ execId: 'e1' })] } });
    expect(v.lags.executions).toBeGreaterThanOrEqual(1_500);
  });

  it('measures the position delta from the size before, not "is there a position"', async () => {
    const { exchange, clock } = scenario({ orderVisibleAt: 0, executionsVisibleAt: 0, positionVisibleAt: 0 });
    // Someone else already held 2 BTC: after our 2 the position is 2 again only if ours is not visible.
    const v = await verifyFill(exchange, { ...order, sizeBefore: '2' }, { ...settings, timeoutMs: 1_000 }, clock);
    expect(v.outcome).toBe('filled_not_visible');
  });

  it('hedge mode: reads the delta on the side of the order itself, not the other side of the symbol', async () => {
    const hedged = scenario({ orderVisibleAt: 0, executionsVisibleAt: 0, positionVisibleAt: 0, hedge: true });
    const v = await verifyFill(hedged.exchange, { ...order, hedgeSide: 'long' }, settings, hedged.clock);
    expect(v).toMatchObject({ outcome: 'filled_visible', lags: { position: 0 } });
    // Read as one-way, the same account shows no one-way row for the symbol: the fill is never seen in the position.
    const unsided = scenario({ orderVisibleAt: 0, executionsVisibleAt: 0, positionVisibleAt: 0, hedge: true });
    expect((await verifyFill(unsided.exchange, order, { ...settings, timeoutMs: 1_000 }, unsided.clock)).outcome).toBe(
      'filled_not_visible',
    );
  });
});
