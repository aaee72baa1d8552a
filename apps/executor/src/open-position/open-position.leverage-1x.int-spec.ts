import { startTestStack, TestStack } from '@legwork/devstack';

// Seed 001: every leg is "a 1x leverage market order". On Bybit the leverage belongs to the
// account's symbol and stays at whatever was set last (the simulator's accounts default to 10x),
// so the executor sets 1x before the first leg — or refuses the basket when a symbol is held at
// another leverage, because changing it would change the risk of a position it does not own.
interface SimPositionRow {
  symbol: string;
  size: string;
  avgPrice: string;
  leverage: string;
  positionIM: string;
}

describe('every leg at 1x', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const simPositions = async (apiKey: string): Promise<SimPositionRow[]> => {
    const state = await t.sim.state<{ accounts: { apiKey: string; positions: SimPositionRow[] }[] }>();
    return state.accounts.find((a) => a.apiKey === apiKey)?.positions ?? [];
  };

  it('an account whose symbols default to 10x: every symbol is set to 1x before the first order; margin = notional', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['status']).toBe('ACTIVE');

    const held = await simPositions(user.apiKey);
    expect(held.map((p) => p.symbol).sort()).toEqual(['BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'LTCUSDT', 'XRPUSDT']);
    for (const p of held) {
      expect(p.leverage).toBe('1');
      // At 1x the initial margin is the whole notional at entry (at 10x it would be a tenth).
      const notional = Number(p.size) * Number(p.avgPrice);
      expect(Number(p.positionIM)).toBeCloseTo(notional, 2);
    }

    const log = await t.sim.requests({ apiKey: user.apiKey });
    const setLeverage = log.filter((r) => r.path === '/v5/position/set-leverage');
    const firstOrder = log.find((r) => r.path === '/v5/order/create');
    expect(setLeverage.map((r) => r.symbol).sort()).toEqual(['BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'LTCUSDT', 'XRPUSDT']);
    expect(setLeverage.every((r) => r.retCode === 0 && firstOrder !== undefined && r.seq < firstOrder.seq)).toBe(true);
  });

  it('a symbol held at 5x by hand: the basket is FAILED before any order, naming the symbol; its leverage is left alone', async () => {
    const user = await t.newUser();
    await t.sim.setLeverage({ apiKey: user.apiKey, symbol: 'ETHUSDT', leverage: '5' });
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'ETHUSDT', side: 'Buy', qty: '0.1' });

    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['status']).toBe('FAILED');
    expect(position['failure']).toEqual({
      code: 'EXECUTION.LEVERAGE_NOT_1X',
      reason: expect.stringMatching(
        /^leverage cannot be 1x for ETHUSDT: ETHUSDT is held \(0\.1\) at 5x — setting 1x would change the margin and liquidation price/,
      ),
    });
    expect(position['legs']).toEqual([]);
    expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);
    const log = await t.sim.requests({ apiKey: user.apiKey, path: '/v5/position/set-leverage' });
    expect(log.map((r) => r.symbol)).not.toContain('ETHUSDT');
    expect((await simPositions(user.apiKey)).find((p) => p.symbol === 'ETHUSDT')?.leverage).toBe('5');
  });
});
