import { startTestStack, TestStack } from '@legwork/devstack';

// An index outlives its instruments: a constituent that stopped trading after the index was
// created refuses the basket whole, with its own code, before its first order.
describe('a basket with a constituent that stopped trading', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it.each([
    ['XRPUSDT', 'Closed', 'closed'],
    ['LTCUSDT', 'Delivering', 'delivering'],
    ['DOGEUSDT', 'Settling', 'settling'],
  ])(
    '%s set to %s after the index was created: FAILED with COMPOSITION.INSTRUMENT_NOT_TRADING, no order sent',
    async (symbol, simStatus, status) => {
      const user = await t.newUser();
      // The executor has run a basket (markets loaded) before the instrument stops trading.
      const before = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
      await user.client.waitForStatus(String(before.body['positionId']), ['ACTIVE']);
      const sentBefore = (await t.sim.orderCreates(user.apiKey)).length;

      await t.sim.setInstrumentStatus(symbol, simStatus);
      try {
        const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
        const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
        expect(position['status']).toBe('FAILED');
        expect(position['failure']).toEqual({
          code: 'COMPOSITION.INSTRUMENT_NOT_TRADING',
          reason: `basket cannot be placed: ${symbol} is not trading (status ${status})`,
        });
        expect(position['legs']).toEqual([]);
        expect(await t.sim.orderCreates(user.apiKey)).toHaveLength(sentBefore);
      } finally {
        await t.sim.setInstrumentStatus(symbol, 'Trading');
      }
    },
  );

  it('a constituent the exchange does not list: FAILED with COMPOSITION.INSTRUMENT_NOT_LISTED, no order sent', async () => {
    const user = await t.newUser({
      index: {
        components: [
          { symbol: 'BTCUSDT', weight: '60' },
          { symbol: 'SOLUSDT', weight: '40' },
        ],
      },
    });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['failure']).toEqual({
      code: 'COMPOSITION.INSTRUMENT_NOT_LISTED',
      reason: 'basket cannot be placed: SOLUSDT is not listed by the exchange as a USDT linear perpetual',
    });
    expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);
  });
});
