// The control API over HTTP: accounts, prices, manual trades, state, faults validation, reset,
// and the price walk; plus a manual trade seen by ccxt like any other order.
import { BybitSim, startBybitSim } from './index';
import { control, createAccount, simBybit } from './testing/sim-client';

async function raw(url: string, method: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

interface State {
  prices: Record<string, { markPrice: string; pinned: boolean }>;
  accounts: {
    apiKey: string;
    walletBalance: string;
    positions: { symbol: string; size: string; side: string }[];
    orders: { orderLinkId: string }[];
    executions: unknown[];
  }[];
}

describe('bybit-sim control API', () => {
  let sim: BybitSim;

  beforeAll(async () => {
    sim = await startBybitSim({ priceTickMs: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await control(sim.url, 'POST', '/__sim/reset');
  });

  it('answers /health', async () => {
    expect(await raw(`${sim.url}/health`, 'GET')).toEqual({ status: 200, json: { status: 'ok' } });
  });

  it('creates accounts, refusing a taken key with 409 and a bad body with 400', async () => {
    expect((await raw(`${sim.url}/__sim/accounts`, 'POST', { apiKey: 'a', apiSecret: 's', balanceUsdt: '500' })).status).toBe(201);
    expect((await raw(`${sim.url}/__sim/accounts`, 'POST', { apiKey: 'a', apiSecret: 's', balanceUsdt: '500' })).status).toBe(409);
    const bad = await raw(`${sim.url}/__sim/accounts`, 'POST', { apiKey: 'b', apiSecret: 's' });
    expect(bad.status).toBe(400);
    expect(String(bad.json['error'])).toMatch(/balanceUsdt/);
  });

  it('pins prices rounded to tick and refuses unknown symbols', async () => {
    expect(await control(sim.url, 'POST', '/__sim/prices', { BTCUSDT: '70000.123', DOGEUSDT: '0.1' })).toEqual({
      prices: { BTCUSDT: '70000.10', DOGEUSDT: '0.10000' },
    });
    expect((await raw(`${sim.url}/__sim/prices`, 'POST', { FOOUSDT: '1' })).status).toBe(400);
    const state = await control<State>(sim.url, 'GET', '/__sim/state');
    expect(state.prices['BTCUSDT']).toEqual({ markPrice: '70000.10', pinned: true });
    expect(state.prices['ETHUSDT']).toEqual({ markPrice: '3200.00', pinned: false });
  });

  it('trades by hand with the same rules, visible to ccxt and in the state', async () => {
    await createAccount(sim.url, 'k', 's', '1000');
    const trade = await raw(`${sim.url}/__sim/trade`, 'POST', { apiKey: 'k', symbol: 'ETHUSDT', side: 'Sell', qty: '0.1' });
    expect(trade.status).toBe(200);
    expect(trade.json['order']).toMatchObject({ orderStatus: 'Filled', orderLinkId: '', side: 'Sell', qty: '0.10' });
    const named = await raw(`${sim.url}/__sim/trade`, 'POST', {
      apiKey: 'k',
      symbol: 'ETHUSDT',
      side: 'Sell',
      qty: '0.1',
      orderLinkId: 'manual-2',
    });
    expect(named.status).toBe(200);
    const refused = await raw(`${sim.url}/__sim/trade`, 'POST', {
      apiKey: 'k',
      symbol: 'BTCUSDT',
      side: 'Buy',
      qty: '0.001',
      reduceOnly: true,
    });
    expect(refused).toEqual({ status: 422, json: { retCode: 110017, retMsg: 'Reduce-only rule not satisfied' } });
    expect((await raw(`${sim.url}/__sim/trade`, 'POST', { apiKey: 'nobody', symbol: 'BTCUSDT', side: 'Buy', qty: '0.001' })).status).toBe(
      404,
    );

    const bybit = simBybit(sim.url, { apiKey: 'k', secret: 's' });
    const [position] = await bybit.fetchPositions(['ETH/USDT:USDT']);
    expect(position).toMatchObject({ side: 'short', contracts: 0.2 });
    expect((await bybit.fetchMyTrades('ETH/USDT:USDT')).length).toBe(2);

    const state = await control<State>(sim.url, 'GET', '/__sim/state');
    const account = state.accounts.find((entry) => entry.apiKey === 'k');
    expect(account?.positions).toMatchObject([{ symbol: 'ETHUSDT', side: 'Sell', size: '0.20' }]);
    expect(account?.orders.map((order) => order.orderLinkId)).toEqual(['', 'manual-2']);
    expect(account?.executions).toHaveLength(2);
    // The request log is for /v5 only: manual trades are not API traffic.
    const requests = await control<{ requests: { path: string }[] }>(sim.url, 'GET', '/__sim/requests?path=/v5/order/create');
    expect(requests.requests).toEqual([]);
  });

  it('sets position mode and leverage by hand under the exchange rules, and shows them in the state', async () => {
    await control(sim.url, 'POST', '/__sim/accounts', {
      apiKey: 'h',
      apiSecret: 's',
      balanceUsdt: '1000',
      positionMode: 'Hedge',
      defaultLeverage: '5',
    });
    const long = await raw(`${sim.url}/__sim/trade`, 'POST', { apiKey: 'h', symbol: 'BTCUSDT', side: 'Buy', qty: '0.01', positionIdx: 1 });
    expect(long.json['order']).toMatchObject({ positionIdx: 1 });
    expect((await raw(`${sim.url}/__sim/trade`, 'POST', { apiKey: 'h', symbol: 'BTCUSDT', side: 'Buy', qty: '0.01' })).json).toMatchObject({
      retCode: 10001,
    });

    const refused = await raw(`${sim.url}/__sim/position-mode`, 'POST', { apiKey: 'h', symbol: 'BTCUSDT', mode: 'OneWay' });
    expect(refused).toEqual({ status: 409, json: expect.objectContaining({ retCode: 110024 }) });
    const switched = await control<{ positionModes: Record<string, string> }>(sim.url, 'POST', '/__sim/position-mode', {
      apiKey: 'h',
      symbol: 'ETHUSDT',
      mode: 'OneWay',
    });
    expect([switched.positionModes['BTCUSDT'], switched.positionModes['ETHUSDT']]).toEqual(['Hedge', 'OneWay']);
    expect((await raw(`${sim.url}/__sim/position-mode`, 'POST', { apiKey: 'h', symbol: 'ETHUSDT', mode: 'OneWay' })).status).toBe(200);

    // 650 notional: 1x would need 650 of the 999.6 left, fine; 0.5x is below the filter.
    expect(
      await control(sim.url, 'POST', '/__sim/leverage', { apiKey: 'h', symbol: 'BTCUSDT', buyLeverage: '1', sellLeverage: '3' }),
    ).toEqual({
      apiKey: 'h',
      symbol: 'BTCUSDT',
      buyLeverage: '1',
      sellLeverage: '3',
    });
    expect((await raw(`${sim.url}/__sim/leverage`, 'POST', { apiKey: 'h', symbol: 'BTCUSDT', leverage: '0.5' })).status).toBe(400);
    // 0.15 ETH = 480 notional: 96 at 5x fits beside BTC's 650; at 1x 650 + 480 exceeds the wallet.
    expect((await raw(`${sim.url}/__sim/trade`, 'POST', { apiKey: 'h', symbol: 'ETHUSDT', side: 'Buy', qty: '0.15' })).status).toBe(200);
    const tooLow = await raw(`${sim.url}/__sim/leverage`, 'POST', { apiKey: 'h', symbol: 'ETHUSDT', leverage: '1' });
    expect(tooLow).toEqual({
      status: 409,
      json: expect.objectContaining({ retCode: 110044, retMsg: 'Available margin is insufficient.' }),
    });
    expect((await raw(`${sim.url}/__sim/leverage`, 'POST', { apiKey: 'nobody', symbol: 'ETHUSDT', leverage: '2' })).status).toBe(404);

    const state = await control<{
      accounts: {
        positionModes: Record<string, string>;
        leverages: Record<string, unknown>;
        positions: { symbol: string; positionIdx: number; leverage: string }[];
      }[];
    }>(sim.url, 'GET', '/__sim/state');
    const account = state.accounts[0];
    expect(account?.positionModes['BTCUSDT']).toBe('Hedge');
    expect(account?.leverages['ETHUSDT']).toEqual({ buyLeverage: '5', sellLeverage: '5' });
    expect(account?.positions.map((position) => [position.symbol, position.positionIdx, position.leverage])).toEqual([
      ['BTCUSDT', 1, '1'],
      ['ETHUSDT', 0, '5'],
    ]);
  });

  it('sets an instrument status and refuses unknown symbols or statuses', async () => {
    expect(await control(sim.url, 'POST', '/__sim/instrument-status', { symbol: 'XRPUSDT', status: 'Settling' })).toEqual({
      symbol: 'XRPUSDT',
      status: 'Settling',
    });
    expect((await raw(`${sim.url}/__sim/instrument-status`, 'POST', { symbol: 'XRPUSDT', status: 'Paused' })).status).toBe(400);
    expect((await raw(`${sim.url}/__sim/instrument-status`, 'POST', { symbol: 'FOOUSDT', status: 'Closed' })).status).toBe(400);
    expect(
      (await control<{ instrumentStatuses: Record<string, string> }>(sim.url, 'GET', '/__sim/state')).instrumentStatuses['XRPUSDT'],
    ).toBe('Settling');
  });

  it('adds and revokes keys: 409 for a taken key, 404 for an unknown one', async () => {
    await createAccount(sim.url, 'k', 's', '1000');
    expect(await control(sim.url, 'POST', '/__sim/keys', { apiKey: 'k', newApiKey: 'k2', newApiSecret: 's2', revokeOthers: true })).toEqual(
      {
        accountApiKey: 'k',
        apiKey: 'k2',
        apiKeys: [
          { apiKey: 'k', revoked: true },
          { apiKey: 'k2', revoked: false },
        ],
      },
    );
    expect((await raw(`${sim.url}/__sim/keys`, 'POST', { apiKey: 'k2', newApiKey: 'k', newApiSecret: 'x' })).status).toBe(409);
    expect((await raw(`${sim.url}/__sim/keys/revoke`, 'POST', { apiKey: 'nobody' })).status).toBe(404);
    expect(await control(sim.url, 'POST', '/__sim/keys/revoke', { apiKey: 'k2' })).toEqual({
      accountApiKey: 'k',
      apiKey: 'k2',
      revoked: true,
    });
  });

  it('validates fault bodies and reports faults in force', async () => {
    const bad = await raw(`${sim.url}/__sim/faults`, 'POST', { orderCreate: [{ effect: 'nope' }] });
    expect(bad.status).toBe(400);
    const set = await control<{ faults: { global: unknown; perAccount: Record<string, unknown> } }>(sim.url, 'POST', '/__sim/faults', {
      apiKey: 'k',
      positionVisibilityLagMs: 5,
    });
    expect(set.faults.perAccount).toEqual({ k: { positionVisibilityLagMs: 5 } });
    expect(await control(sim.url, 'DELETE', '/__sim/faults')).toEqual({ faults: { global: {}, perAccount: {} } });
  });

  it('reset clears accounts and the request log', async () => {
    await createAccount(sim.url, 'k', 's', '1000');
    await fetch(`${sim.url}/v5/market/time`);
    await control(sim.url, 'POST', '/__sim/reset');
    const state = await control<State>(sim.url, 'GET', '/__sim/state');
    expect(state.accounts).toEqual([]);
    expect((await control<{ requests: unknown[] }>(sim.url, 'GET', '/__sim/requests')).requests).toEqual([]);
  });

  it('walks unpinned prices when a tick interval is set', async () => {
    const walking = await startBybitSim({ priceTickMs: 20, seed: 3 });
    try {
      const first = (await control<State>(walking.url, 'GET', '/__sim/state')).prices;
      await new Promise((resolve) => setTimeout(resolve, 150));
      const later = (await control<State>(walking.url, 'GET', '/__sim/state')).prices;
      expect(later['BTCUSDT']?.markPrice).not.toBe(first['BTCUSDT']?.markPrice);
    } finally {
      await walking.close();
    }
  });
});
