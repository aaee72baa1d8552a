// SimControl's market controls against a real simulator: fill mode, book shape, funding,
// maintenance — what Legwork's integration tests use to reach those exchange behaviours. The
// simulator runs as the stack runs it: a child process from dist/, configured by its environment.
import { LegworkStack, startLegworkStack } from './legwork-stack';
import { SimControl } from './sim-control';

describe('SimControl market controls', () => {
  let stack: LegworkStack;
  let sim: { url: string };
  let control: SimControl;

  beforeAll(async () => {
    // The simulator needs neither database nor bus.
    stack = await startLegworkStack({
      databaseUrl: '',
      natsUrl: '',
      namespace: '',
      services: ['bybit-sim'],
      serviceEnv: { 'bybit-sim': { BYBIT_SIM_PRICE_TICK_MS: '0' } },
    });
    sim = { url: stack.simUrl };
    control = new SimControl(stack.simUrl);
  });
  afterAll(() => stack.stop());

  it('fill mode, book shape, funding and maintenance reach the exchange', async () => {
    const created = await fetch(`${sim.url}/__sim/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: 'ctl', apiSecret: 's', balanceUsdt: '100000', defaultLeverage: '1' }),
    });
    expect(created.status).toBe(201);
    await control.setPrices({ BTCUSDT: '65000' });

    expect(await control.configureOrderBook({ symbol: 'BTCUSDT', depth: 3, levelNotionalUsdt: '650' })).toMatchObject({
      symbol: 'BTCUSDT',
      settings: { depth: 3, levelNotionalUsdt: '650' },
    });
    await control.manualTrade({ apiKey: 'ctl', symbol: 'BTCUSDT', side: 'Buy', qty: '1' });
    const thin = (await control.account('ctl')).orders[0];
    expect(thin?.orderStatus).toBe('Cancelled');
    expect(Number(thin?.cumExecQty)).toBeGreaterThan(0);

    expect(await control.setFillAtMark(true, 'ctl')).toEqual({ apiKey: 'ctl', fillAtMark: true });
    await control.manualTrade({ apiKey: 'ctl', symbol: 'BTCUSDT', side: 'Buy', qty: '0.1' });
    expect((await control.account('ctl')).orders[1]).toMatchObject({ orderStatus: 'Filled', cumExecQty: '0.100' });

    expect((await control.setFundingRates({ BTCUSDT: '-0.0002' })).fundingRates['BTCUSDT']).toBe('-0.0002');
    const [settlement, ...more] = await control.settleFunding('BTCUSDT');
    expect(more).toEqual([]);
    expect(settlement).toMatchObject({ apiKey: 'ctl', symbol: 'BTCUSDT', feeRate: '-0.0002', markPrice: '65000' });
    expect(Number(settlement?.execFee)).toBeLessThan(0);

    const window = await control.startMaintenance({ symbol: 'BTCUSDT', durationMs: 60_000 });
    expect(window).toMatchObject({ symbol: 'BTCUSDT', state: 'ongoing' });
    await expect(control.manualTrade({ apiKey: 'ctl', symbol: 'BTCUSDT', side: 'Buy', qty: '0.01' })).rejects.toThrow(/110066/);
    expect((await control.endMaintenance('BTCUSDT')).ended).toBe(1);
    await control.manualTrade({ apiKey: 'ctl', symbol: 'BTCUSDT', side: 'Buy', qty: '0.01' });
    expect((await control.account('ctl')).orders).toHaveLength(3);
  });
});
