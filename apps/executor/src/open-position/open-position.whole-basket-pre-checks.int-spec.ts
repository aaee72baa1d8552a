import { startTestStack, TestStack } from '@legwork/devstack';

// Issue 17: everything that can refuse a leg is checked for ALL legs before the first order, and a
// basket that cannot be placed whole is refused whole. Seed 000's own example of a halt —
// "insufficient margin" part-way through a basket, the first legs left held — becomes a refusal
// before leg 1 with nothing held, asserted on the simulator's request log.
describe('whole-basket pre-checks before the first order', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a wallet too small for the whole basket at 1x: FAILED before leg 1, naming each leg that would not fit; no order, no leverage change', async () => {
    const user = await t.newUser({ balanceUsdt: '600' });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);

    expect(position['status']).toBe('FAILED');
    expect(position['legging']).toBe('sequential');
    expect(position['failure']).toEqual({
      code: 'EXECUTION.INSUFFICIENT_MARGIN',
      reason: expect.stringMatching(
        /^the account's available balance \(600 USDT\) cannot carry the whole basket at 1x: it needs \d+(\.\d+)? USDT \(initial margin \d+(\.\d+)? \+ fee buffer \d+(\.\d+)?\); legs that would not fit: leg \d [A-Z]+USDT \(cumulative \d+(\.\d+)? USDT\).*; no order was sent$/,
      ),
    });
    expect(position['legs']).toEqual([]);
    expect(position['components']).toEqual([]);

    const log = await t.sim.requests({ apiKey: user.apiKey });
    expect(log.filter((r) => r.path === '/v5/order/create')).toEqual([]);
    expect(log.filter((r) => r.path === '/v5/position/set-leverage')).toEqual([]);
    expect(log.some((r) => r.path === '/v5/account/wallet-balance' && r.retCode === 0)).toBe(true);
    expect((await t.sim.account(user.apiKey)).positions).toEqual([]);
  });

  it('a wallet that covers the basket and its fee buffer: the basket is placed as before', async () => {
    const user = await t.newUser({ balanceUsdt: '1100' });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['status']).toBe('ACTIVE');
    expect(position['legging']).toBe('sequential');
    expect(await t.sim.orderCreates(user.apiKey)).toHaveLength(5);
    // Sequential: no position read per leg — the sizes once before the basket, then the basket's
    // one check at its end (the lists by symbol are the pre-checks' mode and leverage reads).
    const lists = await t.sim.requests({ apiKey: user.apiKey, path: '/v5/position/list' });
    expect(lists.filter((r) => r.symbol === null)).toHaveLength(2);
  });

  it('legging "batch" named on the open request: every leg in one create-batch request, no single order', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long', legging: 'batch' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['status']).toBe('ACTIVE');
    expect(position['legging']).toBe('batch');
    expect(await t.sim.batchCreates(user.apiKey)).toHaveLength(1);
    expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);
  });
});
