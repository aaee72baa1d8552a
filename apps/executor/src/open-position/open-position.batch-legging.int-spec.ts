import { startTestStack, TestStack } from '@legwork/devstack';

// The `batch` legging mode (issue 17): every leg of a five-leg basket in ONE
// /v5/order/create-batch request, each entry worked on its own; a rejected leg does not stop the
// others; an unknown outcome is settled by orderLinkId, never sent twice.
describe('open a basket in batch legging mode', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ env: { DEFAULT_LEGGING: 'batch' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  type Leg = { symbol: string; status: string; orderLinkId: string; fills: unknown[] };

  it('five legs in one create-batch request: ACTIVE, each leg filled once, no single order sent', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['status']).toBe('ACTIVE');
    const legs = position['legs'] as Leg[];
    expect(legs.map((l) => [l.symbol, l.status])).toEqual([
      ['BTCUSDT', 'FILLED'],
      ['ETHUSDT', 'FILLED'],
      ['XRPUSDT', 'FILLED'],
      ['DOGEUSDT', 'FILLED'],
      ['LTCUSDT', 'FILLED'],
    ]);
    for (const leg of legs) expect(leg.fills.length).toBeGreaterThan(0);
    expect(position['components']).toHaveLength(5);

    const batches = await t.sim.batchCreates(user.apiKey);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.orders?.map((o) => o.orderLinkId)).toEqual(legs.map((l) => l.orderLinkId));
    expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);
    const account = await t.sim.account(user.apiKey);
    expect(account.orders.map((o) => o.orderLinkId).sort()).toEqual(legs.map((l) => l.orderLinkId).sort());
    expect(account.positions).toHaveLength(5);
  });

  it('one leg refused for good: the others still fill; FAILED with that leg missing, the same alert as a sequential halt', async () => {
    const user = await t.newUser();
    // The batch budget lets four orders through; the fifth (LTCUSDT) is not placed (10006) and is
    // sent alone with the same orderLinkId, where the exchange refuses it (110007).
    await t.sim.setBatchLimits({ apiKey: user.apiKey, ordersPerSecond: 4 });
    await t.sim.setFaults({ apiKey: user.apiKey, orderCreate: [{ effect: 'insufficientMargin', count: 1, symbol: 'LTCUSDT' }] });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);

    expect(position['status']).toBe('FAILED');
    expect(position['failure']).toEqual({
      code: 'EXECUTION.LEG_REJECTED',
      reason: expect.stringMatching(
        /leg 4 LTCUSDT rejected \(EXCHANGE\.INSUFFICIENT_MARGIN.*filled: BTCUSDT buy .*ETHUSDT buy .*XRPUSDT buy .*DOGEUSDT buy .*not sent: none/,
      ),
      exchange: { retCode: 110007, retMsg: expect.any(String) },
    });
    const legs = position['legs'] as Leg[];
    expect(legs.map((l) => [l.symbol, l.status])).toEqual([
      ['BTCUSDT', 'FILLED'],
      ['ETHUSDT', 'FILLED'],
      ['XRPUSDT', 'FILLED'],
      ['DOGEUSDT', 'FILLED'],
      ['LTCUSDT', 'REJECTED'],
    ]);
    expect(position['components']).toEqual([]);

    const batches = await t.sim.batchCreates(user.apiKey);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.orders).toHaveLength(5);
    const singles = await t.sim.orderCreates(user.apiKey);
    expect(singles.map((r) => [r.symbol, r.orderLinkId, r.retCode])).toEqual([['LTCUSDT', legs[4]?.orderLinkId, 110007]]);
    // Nothing reversed: the four filled legs are held on the exchange.
    const account = await t.sim.account(user.apiKey);
    expect(account.positions.map((p) => p.symbol).sort()).toEqual(['BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'XRPUSDT']);
    const alerts = await t.alerts();
    expect(alerts).toContainEqual(
      expect.objectContaining({ kind: 'execution.partial_fill', positionId: position['id'], severity: 'warning' }),
    );
  });

  it('the batch answer lost after the orders were placed: settled by orderLinkId on the next delivery, nothing sent twice', async () => {
    const user = await t.newUser();
    await t.sim.setFaults({ apiKey: user.apiKey, orderCreateBatch: [{ effect: 'timeoutAfterAccept', count: 1, hangMs: 10_000 }] });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED'], 60_000);
    expect(position['status']).toBe('ACTIVE');
    const batches = await t.sim.batchCreates(user.apiKey);
    expect(batches.map((b) => b.fault)).toEqual(['timeoutAfterAccept']);
    expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);
    const account = await t.sim.account(user.apiKey);
    expect(account.orders).toHaveLength(5);
    expect(new Set(account.orders.map((o) => o.orderLinkId)).size).toBe(5);
  });
});
