import type { ExecutionView, OrderView, PositionView } from '../exchange.port';
import type { VerifierClock } from './fill-verifier';
import { confirmOrderFill } from './order-fill-verifier';
import { checkBasketPositions } from './basket-position-check';

/** A virtual clock: sleeping advances it. */
function virtualClock(): VerifierClock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

const settings = { timeoutMs: 10_000, initialDelayMs: 100, maxDelayMs: 1_000 };

const execution = (over: Partial<ExecutionView> = {}): ExecutionView => ({
  execId: 'e1',
  exchangeOrderId: 'o1',
  orderLinkId: 'lw1',
  symbol: 'BTCUSDT',
  side: 'buy',
  price: '100',
  quantity: '2',
  fee: '0.11',
  feeCurrency: 'USDT',
  feeRate: '0.00055',
  executedAt: new Date(0),
  kind: 'trade',
  ...over,
});

const filledOrder: OrderView = {
  exchangeOrderId: 'o1',
  orderLinkId: 'lw1',
  symbol: 'BTCUSDT',
  side: 'buy',
  state: 'filled',
  quantity: '2',
  filledQuantity: '2',
  averagePrice: '100',
  rejectReason: null,
};

/** An exchange whose order, executions and position show up from given (virtual) times on. */
function exchangeOf(
  clock: VerifierClock,
  t: { order?: OrderView; orderAt?: number; executionsAt?: number; positionAt?: number; closedAt?: number },
) {
  const seen = (at: number | undefined) => at !== undefined && clock.now() >= at;
  return {
    findOrder: async () => (t.order && seen(t.orderAt) ? t.order : null),
    executions: async (_symbol: string, filter: { orderLinkId: string } | { since: Date }): Promise<ExecutionView[]> => {
      if ('orderLinkId' in filter)
        return seen(t.executionsAt) ? [execution(), execution({ execId: 'f', kind: 'funding', quantity: '9' })] : [];
      return seen(t.closedAt) ? [execution({ execId: 'liq', kind: 'exchange_close', side: 'sell' })] : [];
    },
    positions: async (symbols?: readonly string[]): Promise<PositionView[]> =>
      (symbols ?? []).map((symbol) => {
        const open = seen(t.positionAt) && !seen(t.closedAt);
        return {
          symbol,
          hedgeSide: null,
          side: open ? 'long' : 'flat',
          size: open ? '2' : '0',
          entryPrice: null,
          markPrice: null,
          unrealisedPnlUsdt: null,
          leverage: '1',
        };
      }),
  };
}

const order = { symbol: 'BTCUSDT', orderLinkId: 'lw1', quantity: '2' };

describe('confirmOrderFill (order status and executions only)', () => {
  it('confirmed as soon as the final order and its executions agree; a funding row is no fill', async () => {
    const clock = virtualClock();
    const v = await confirmOrderFill(exchangeOf(clock, { order: filledOrder, orderAt: 0, executionsAt: 300 }), order, settings, clock);
    expect(v).toMatchObject({ outcome: 'filled', fill: { filledQuantity: '2', averagePrice: '100', exchangeOrderId: 'o1' } });
    expect(v.lags).toEqual({ order: 0, executions: 300, position: null });
    if (v.outcome === 'filled') expect(v.fill.fills.map((f) => f.execId)).toEqual(['e1']);
  });

  it('the order not listed yet: executions adding up to the planned quantity confirm the fill', async () => {
    const clock = virtualClock();
    const v = await confirmOrderFill(exchangeOf(clock, { order: filledOrder, orderAt: 60_000, executionsAt: 0 }), order, settings, clock);
    expect(v).toMatchObject({
      outcome: 'filled',
      fill: { filledQuantity: '2', averagePrice: '100' },
      lags: { order: null, executions: 0 },
    });
  });

  it('a final order with zero fill is not filled; nothing at all by the timeout is unknown, never "not filled"', async () => {
    const clock = virtualClock();
    const rejected = {
      ...filledOrder,
      state: 'rejected' as const,
      filledQuantity: '0',
      averagePrice: null,
      rejectReason: 'EC_NoImmediateQtyToFill',
    };
    expect(await confirmOrderFill(exchangeOf(clock, { order: rejected, orderAt: 0 }), order, settings, clock)).toMatchObject({
      outcome: 'not_filled',
      reason: 'EC_NoImmediateQtyToFill',
    });
    const silent = virtualClock();
    expect((await confirmOrderFill(exchangeOf(silent, {}), order, settings, silent)).outcome).toBe('unknown');
  });

  it('the final order with a fill but its executions never shown: filled at the timeout, from the order', async () => {
    const clock = virtualClock();
    const v = await confirmOrderFill(exchangeOf(clock, { order: filledOrder, orderAt: 0 }), order, settings, clock);
    expect(v).toMatchObject({ outcome: 'filled', fill: { filledQuantity: '2', averagePrice: '100', fills: [] } });
  });
});

describe('checkBasketPositions (once per basket)', () => {
  const leg = {
    legIndex: 0,
    symbol: 'BTCUSDT',
    side: 'buy' as const,
    hedgeSide: null,
    filledQuantity: '2',
    sizeBefore: '0',
    sentAt: new Date(0),
  };

  it("the seeds' 6 s lag: waits for the position, reports its lag from the start of the check", async () => {
    const clock = virtualClock();
    const [check] = await checkBasketPositions(exchangeOf(clock, { positionAt: 6_000 }), [leg], settings, clock);
    expect(check?.outcome).toBe('visible');
    expect(check && 'lagMs' in check ? check.lagMs : NaN).toBeGreaterThanOrEqual(6_000);
  });

  it('not shown by the timeout: not_visible (still filled); no baseline: not_visible without a read', async () => {
    const clock = virtualClock();
    const checks = await checkBasketPositions(
      exchangeOf(clock, {}),
      [leg, { ...leg, legIndex: 1, symbol: 'ETHUSDT', sizeBefore: null }],
      settings,
      clock,
    );
    expect(checks).toEqual([
      { legIndex: 0, outcome: 'not_visible' },
      { legIndex: 1, outcome: 'not_visible' },
    ]);
  });

  it('closed by the exchange before the position showed it: named with its closing executions', async () => {
    const clock = virtualClock();
    const [check] = await checkBasketPositions(exchangeOf(clock, { positionAt: 1_500, closedAt: 200 }), [leg], settings, clock);
    expect(check).toMatchObject({ legIndex: 0, outcome: 'closed_by_exchange', closingExecutions: [{ execId: 'liq' }] });
  });
});
