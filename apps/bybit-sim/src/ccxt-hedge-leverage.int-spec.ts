// Real ccxt against the simulator's hedge mode and leverage: setPositionMode, orders on both
// sides (positionIdx and ccxt's `hedged` flag), fetchPositions per side, setLeverage and the
// margin that follows it.
import ccxt from 'ccxt';
import { BybitSim, startBybitSim } from './index';
import { control, createAccount, simBybit } from './testing/sim-client';

describe('bybit-sim hedge mode and leverage driven by ccxt', () => {
  let sim: BybitSim;
  let bybit: ReturnType<typeof simBybit>;

  beforeAll(async () => {
    sim = await startBybitSim({ port: 0, priceTickMs: 0, seed: 7, fillAtMark: true });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await control(sim.url, 'POST', '/__sim/reset');
    await createAccount(sim.url, 'key-h', 'secret-h', '1000');
    await control(sim.url, 'POST', '/__sim/prices', { BTCUSDT: '65000', ETHUSDT: '3200' });
    bybit = simBybit(sim.url, { apiKey: 'key-h', secret: 'secret-h' });
  });

  it('setPositionMode(true) then orders on positionIdx 1 and 2: fetchPositions shows both sides', async () => {
    await expect(bybit.setPositionMode(true)).resolves.toMatchObject({ retCode: 0 });
    await expect(bybit.setPositionMode(true)).rejects.toBeInstanceOf(ccxt.NoChange);
    await bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { positionIdx: 1, clientOrderId: 'h-long' });
    await bybit.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.004, undefined, { hedged: true, clientOrderId: 'h-short' });

    const positions = await bybit.fetchPositions(['BTC/USDT:USDT']);
    expect(positions.map((position) => [position.side, position.contracts, position.hedged, position.leverage])).toEqual([
      ['long', 0.01, true, 10],
      ['short', 0.004, true, 10],
    ]);
    expect(positions[0]?.info['positionIdx']).toBe(1);
    expect(positions[0]?.liquidationPrice).toBe(58825);
    const [order] = await bybit.fetchCanceledAndClosedOrders('BTC/USDT:USDT', undefined, undefined, { orderLinkId: 'h-short' });
    expect(order?.info['positionIdx']).toBe(2);

    // ccxt's hedged close: reduceOnly dropped, Buy sent on side 2 — the short closes, the long stays.
    await bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.004, undefined, {
      hedged: true,
      reduceOnly: true,
      clientOrderId: 'h-close',
    });
    const open = await bybit.fetchPositions();
    expect(open.map((position) => [position.side, position.contracts])).toEqual([['long', 0.01]]);
    const [flatLong, flatShort] = await bybit.fetchPositions(['ETH/USDT:USDT']);
    expect([flatLong?.contracts, flatShort?.contracts, flatShort?.info['positionIdx']]).toEqual([0, 0, 2]);
  });

  it('refuses a positionIdx that does not fit the mode, and a switch with a position open', async () => {
    await expect(bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.001, undefined, { positionIdx: 1 })).rejects.toThrow(
      /position idx not match position mode/,
    );
    await bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.001);
    await expect(bybit.setPositionMode(true, 'BTC/USDT:USDT')).rejects.toThrow(/110024/);
    await bybit.setPositionMode(true, 'ETH/USDT:USDT');
    await expect(bybit.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.01)).rejects.toBeInstanceOf(ccxt.BadRequest);
  });

  it('setLeverage changes the margin: 110043 when unchanged, 110007 and the position figures follow it', async () => {
    await expect(bybit.setLeverage(1, 'BTC/USDT:USDT')).resolves.toMatchObject({ retCode: 0 });
    await expect(bybit.setLeverage(1, 'BTC/USDT:USDT')).rejects.toThrow(/110043/);
    // 0.1 BTC = 6500: too much at 1x on 1000 USDT, fine at 10x.
    await expect(bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.1)).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    await bybit.setLeverage(10, 'BTC/USDT:USDT');
    await bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.1);
    const [position] = await bybit.fetchPositions(['BTC/USDT:USDT']);
    expect(position).toMatchObject({ leverage: 10, initialMargin: 650, notional: 6500 });
    expect((await bybit.fetchBalance())['USDT']?.used).toBeCloseTo(650, 6);
    await expect(bybit.setLeverage(1, 'BTC/USDT:USDT')).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    await expect(bybit.setLeverage(101, 'BTC/USDT:USDT')).rejects.toThrow(/maxLeverage 100/);
  });
});

describe('bybit-sim instrument status and key revocation driven by ccxt', () => {
  let sim: BybitSim;

  beforeAll(async () => {
    sim = await startBybitSim({ port: 0, priceTickMs: 0, fillAtMark: true });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await control(sim.url, 'POST', '/__sim/reset');
    await createAccount(sim.url, 'key-s', 'secret-s', '1000');
  });

  it('a Closed symbol leaves the default instrument list and its orders are refused (110074)', async () => {
    const bybit = simBybit(sim.url, { apiKey: 'key-s', secret: 'secret-s' });
    await bybit.loadMarkets();
    await control(sim.url, 'POST', '/__sim/instrument-status', { symbol: 'ETHUSDT', status: 'Closed' });
    await expect(bybit.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.01)).rejects.toThrow(/110074/);
    const listed = (await bybit.publicGetV5MarketInstrumentsInfo({ category: 'linear', symbol: 'ETHUSDT' })) as {
      result: { list: { status: string }[] };
    };
    expect(listed.result.list.map((row) => row.status)).toEqual(['Closed']);
    const fresh = simBybit(sim.url, { apiKey: 'key-s', secret: 'secret-s' });
    expect(Object.keys(await fresh.loadMarkets())).not.toContain('ETH/USDT:USDT');
    await control(sim.url, 'POST', '/__sim/reset');
    const afterReset = (await bybit.publicGetV5MarketInstrumentsInfo({ category: 'linear', symbol: 'ETHUSDT' })) as {
      result: { list: { status: string }[] };
    };
    expect(afterReset.result.list.map((row) => row.status)).toEqual(['Trading']);
  });

  it('a revoked key answers 10003; a key added to the account works on the same account', async () => {
    const old = simBybit(sim.url, { apiKey: 'key-s', secret: 'secret-s' });
    await old.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.001);
    await control(sim.url, 'POST', '/__sim/keys/revoke', { apiKey: 'key-s' });
    await expect(old.fetchPositions()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    await expect(old.privateGetV5UserQueryApi()).rejects.toThrow(/10003/);
    await control(sim.url, 'POST', '/__sim/keys', { apiKey: 'key-s', newApiKey: 'key-s2', newApiSecret: 'secret-s2' });
    const rotated = simBybit(sim.url, { apiKey: 'key-s2', secret: 'secret-s2' });
    expect((await rotated.fetchPositions()).map((position) => position.contracts)).toEqual([0.001]);
    const info = (await rotated.privateGetV5UserQueryApi()) as { result: { apiKey: string } };
    expect(info.result.apiKey).toBe('key-s2');
  });
});
