import { startTestStack, TestStack } from '@legwork/devstack';

// Seed 000: "halt, don't reverse". A definitive rejection of a middle leg stops the basket:
// earlier legs stay filled and recorded, no later leg is sent, nothing is unwound.
describe('a leg rejected mid-basket', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('insufficient margin on leg 4: FAILED at once with the reason, legs 1-3 held, leg 5 never sent', async () => {
    const user = await t.newUser();
    await t.sim.setFaults({ apiKey: user.apiKey, orderCreate: [{ effect: 'insufficientMargin', count: 1, symbol: 'DOGEUSDT' }] });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);

    expect(position['status']).toBe('FAILED');
    expect(position['failure']).toEqual({
      code: 'EXECUTION.LEG_REJECTED',
      reason: expect.stringMatching(
        /leg 3 DOGEUSDT rejected \(EXCHANGE\.INSUFFICIENT_MARGIN.*filled: BTCUSDT buy .*ETHUSDT buy .*XRPUSDT buy .*not sent: LTCUSDT/,
      ),
      exchange: { retCode: 110007, retMsg: expect.any(String) },
    });
    const legs = position['legs'] as { symbol: string; status: string; fills: unknown[] }[];
    expect(legs.map((l) => [l.symbol, l.status])).toEqual([
      ['BTCUSDT', 'FILLED'],
      ['ETHUSDT', 'FILLED'],
      ['XRPUSDT', 'FILLED'],
      ['DOGEUSDT', 'REJECTED'],
      ['LTCUSDT', 'PLANNED'],
    ]);
    expect(legs[0]?.fills.length).toBeGreaterThan(0);
    expect(position['components']).toEqual([]);

    const creates = await t.sim.orderCreates(user.apiKey);
    expect(creates.map((r) => r.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT']);
    // Halt, don't reverse: the three filled legs are still held on the exchange.
    const account = await t.sim.account(user.apiKey);
    expect(account.positions.map((p) => p.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT']);
    const alerts = await t.alerts();
    expect(alerts).toContainEqual(
      expect.objectContaining({ kind: 'execution.partial_fill', positionId: position['id'], severity: 'warning' }),
    );
    expect(creates.every((r) => r.side === 'Buy' && r.reduceOnly !== true)).toBe(true);
  });

  it('refuses a basket whose smallest leg is below the exchange minimum before sending anything', async () => {
    const user = await t.newUser({
      index: {
        components: [
          { symbol: 'BTCUSDT', weight: '1' },
          { symbol: 'ETHUSDT', weight: '99' },
        ],
      },
    });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '100', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['failure']).toEqual({
      code: 'COMPOSITION.LEG_VIOLATES_LOT_SIZE',
      reason: expect.stringMatching(/BTCUSDT quantity 0 is below the minimum order quantity 0\.001/),
    });
    expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);
  });
});
