// Real ccxt against the simulator's injected faults: each orderCreate effect and the ccxt error
// class it produces, positionList faults, visibility lag, forced close, and the request log.
import ccxt from 'ccxt';
import { BybitSim, startBybitSim } from './index';
import { control, createAccount, simBybit } from './testing/sim-client';

const BTC = 'BTC/USDT:USDT';
const TIMEOUT_MS = 1500;

interface LoggedRequest {
  path: string;
  apiKey: string | null;
  orderLinkId: string | null;
  qty: string | null;
  side: string | null;
  symbol: string | null;
  reduceOnly: boolean | null;
  httpStatus: number | null;
  retCode: number | null;
  fault: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('bybit-sim faults seen through ccxt', () => {
  let sim: BybitSim;
  let bybit: ReturnType<typeof simBybit>;

  const faults = (body: unknown): Promise<unknown> => control(sim.url, 'POST', '/__sim/faults', body);
  const createLogs = async (): Promise<LoggedRequest[]> =>
    (await control<{ requests: LoggedRequest[] }>(sim.url, 'GET', '/__sim/requests?path=/v5/order/create&apiKey=key-1')).requests;
  const closedOrders = (orderLinkId: string): ReturnType<typeof bybit.fetchCanceledAndClosedOrders> =>
    bybit.fetchCanceledAndClosedOrders(BTC, undefined, undefined, { orderLinkId });

  beforeAll(async () => {
    // Exact mark-price fills: these cases pin fill prices and margin figures.
    sim = await startBybitSim({ priceTickMs: 0, fillAtMark: true });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await control(sim.url, 'POST', '/__sim/reset');
    await createAccount(sim.url, 'key-1', 'secret-1', '100000');
    await control(sim.url, 'POST', '/__sim/prices', { BTCUSDT: '65000' });
    bybit = simBybit(sim.url, { apiKey: 'key-1', secret: 'secret-1', timeoutMs: TIMEOUT_MS });
    await bybit.loadMarkets();
  });

  it.each([
    { effect: 'http500', errorClass: ccxt.ExchangeNotAvailable },
    { effect: 'http503', errorClass: ccxt.ExchangeNotAvailable },
    { effect: 'rateLimit', errorClass: ccxt.RateLimitExceeded },
    { effect: 'insufficientMargin', errorClass: ccxt.InsufficientFunds },
    { effect: 'reject', errorClass: ccxt.BadRequest },
  ])('orderCreate $effect → $errorClass.name, and no order exists', async ({ effect, errorClass }) => {
    await faults({ orderCreate: [{ effect, count: 1 }] });
    await expect(bybit.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: `f-${effect}` })).rejects.toBeInstanceOf(
      errorClass,
    );
    expect(await closedOrders(`f-${effect}`)).toEqual([]);
    // The fault was one-shot: the same orderLinkId now goes through.
    await bybit.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: `f-${effect}` });
    expect(await closedOrders(`f-${effect}`)).toHaveLength(1);
  });

  it('timeoutAfterAccept → RequestTimeout, yet the order was placed and filled', async () => {
    await faults({ orderCreate: [{ effect: 'timeoutAfterAccept', count: 1 }] });
    const started = Date.now();
    await expect(bybit.createOrder(BTC, 'market', 'buy', 0.002, undefined, { clientOrderId: 'lost-ack' })).rejects.toBeInstanceOf(
      ccxt.RequestTimeout,
    );
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
    const [order] = await closedOrders('lost-ack');
    expect(order).toMatchObject({ clientOrderId: 'lost-ack', status: 'closed', filled: 0.002 });
    const [logged] = await createLogs();
    expect(logged).toMatchObject({ orderLinkId: 'lost-ack', httpStatus: null, retCode: null, fault: 'timeoutAfterAccept' });
    const [position] = await bybit.fetchPositions([BTC]);
    expect(position).toMatchObject({ side: 'long', contracts: 0.002 });
    // Retrying with the same orderLinkId is refused as a duplicate: the first one did land.
    await expect(bybit.createOrder(BTC, 'market', 'buy', 0.002, undefined, { clientOrderId: 'lost-ack' })).rejects.toThrow(/110072/);
  });

  it('timeoutBeforeAccept → RequestTimeout and no order', async () => {
    await faults({ orderCreate: [{ effect: 'timeoutBeforeAccept', count: 1 }] });
    await expect(bybit.createOrder(BTC, 'market', 'buy', 0.002, undefined, { clientOrderId: 'never-seen' })).rejects.toBeInstanceOf(
      ccxt.RequestTimeout,
    );
    // The client gave up and closed its socket, which ends the hang (default hangMs is 30 s).
    await sleep(100);
    expect((await control<{ hangingRequests: number }>(sim.url, 'GET', '/__sim/state')).hangingRequests).toBe(0);
    expect(await closedOrders('never-seen')).toEqual([]);
    expect(await bybit.fetchOpenOrders(BTC, undefined, undefined, { orderLinkId: 'never-seen' })).toEqual([]);
    expect(await bybit.fetchPositions()).toEqual([]);
  });

  it('a symbol-scoped fault with count 2 hits only that symbol, twice', async () => {
    await faults({ orderCreate: [{ effect: 'http503', count: 2, symbol: 'ETHUSDT' }] });
    await bybit.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'btc-ok' });
    await expect(bybit.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'eth-1' })).rejects.toBeInstanceOf(
      ccxt.ExchangeNotAvailable,
    );
    await expect(bybit.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'eth-2' })).rejects.toBeInstanceOf(
      ccxt.ExchangeNotAvailable,
    );
    await bybit.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'eth-3' });
  });

  it('faults posted for one account leave the others alone', async () => {
    await createAccount(sim.url, 'key-2', 'secret-2', '1000');
    await faults({ apiKey: 'key-2', orderCreate: [{ effect: 'rateLimit', count: 5 }] });
    await bybit.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'not-me' });
    const other = simBybit(sim.url, { apiKey: 'key-2', secret: 'secret-2' });
    await expect(other.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'me' })).rejects.toBeInstanceOf(
      ccxt.RateLimitExceeded,
    );
    await control(sim.url, 'DELETE', '/__sim/faults');
    await other.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'me' });
  });

  it('positionList http500 → ExchangeNotAvailable, timeout → RequestTimeout', async () => {
    await faults({
      positionList: [
        { effect: 'http500', count: 1 },
        { effect: 'timeout', count: 1 },
      ],
    });
    await expect(bybit.fetchPositions([BTC])).rejects.toBeInstanceOf(ccxt.ExchangeNotAvailable);
    await expect(bybit.fetchPositions([BTC])).rejects.toBeInstanceOf(ccxt.RequestTimeout);
    expect(await bybit.fetchPositions()).toEqual([]);
  });

  it('positionVisibilityLagMs hides a fill from the position list only, for the lag', async () => {
    await faults({ positionVisibilityLagMs: 1200 });
    await bybit.createOrder(BTC, 'market', 'buy', 0.003, undefined, { clientOrderId: 'lagged' });
    const [order] = await closedOrders('lagged');
    expect(order?.status).toBe('closed');
    expect(await bybit.fetchMyTrades(BTC, undefined, undefined, { orderLinkId: 'lagged' })).toHaveLength(1);
    expect(await bybit.fetchPositions()).toEqual([]);
    const [flat] = await bybit.fetchPositions([BTC]);
    expect(flat?.contracts).toBe(0);
    await sleep(1300);
    const [visible] = await bybit.fetchPositions([BTC]);
    expect(visible).toMatchObject({ side: 'long', contracts: 0.003, entryPrice: 65000 });
  });

  it('order and execution visibility lags hide the order and its trade for the lag', async () => {
    await faults({ orderVisibilityLagMs: 1000, executionVisibilityLagMs: 1000 });
    const created = await bybit.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'slow-view' });
    expect(await closedOrders('slow-view')).toEqual([]);
    await expect(bybit.fetchOrder(String(created.id), BTC, { acknowledged: true })).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    expect(await bybit.fetchMyTrades(BTC, undefined, undefined, { orderId: created.id })).toEqual([]);
    expect(await bybit.fetchPositions()).toHaveLength(1);
    await sleep(1100);
    expect(await closedOrders('slow-view')).toHaveLength(1);
    expect(await bybit.fetchMyTrades(BTC, undefined, undefined, { orderId: created.id })).toHaveLength(1);
  });

  it('closeAfterFillMs force-closes the position with a BustTrade execution', async () => {
    await faults({ closeAfterFillMs: 300 });
    await bybit.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'doomed' });
    expect(await bybit.fetchPositions()).toHaveLength(1);
    await sleep(400);
    expect(await bybit.fetchPositions()).toEqual([]);
    const raw = (await bybit.privateGetV5ExecutionList({ category: 'linear', symbol: 'BTCUSDT' })) as {
      result: { list: { execType: string; side: string; orderLinkId: string }[] };
    };
    expect(raw.result.list.map((row) => [row.execType, row.side, row.orderLinkId])).toEqual([
      ['BustTrade', 'Sell', ''],
      ['Trade', 'Buy', 'doomed'],
    ]);
    // ccxt's fetchMyTrades asks for execType=Trade only, like Bybit.
    expect(await bybit.fetchMyTrades(BTC)).toHaveLength(1);
  });

  it('logs every order request with its fields and outcome', async () => {
    await faults({ orderCreate: [{ effect: 'http503', count: 1 }] });
    await expect(bybit.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'log-1' })).rejects.toThrow();
    await bybit.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'log-2' });
    await expect(
      bybit.createOrder(BTC, 'market', 'sell', 0.005, undefined, { clientOrderId: 'log-3', reduceOnly: true }),
    ).resolves.toBeDefined();
    const logs = await createLogs();
    expect(
      logs.map((entry) => [entry.orderLinkId, entry.side, entry.qty, entry.reduceOnly, entry.httpStatus, entry.retCode, entry.fault]),
    ).toEqual([
      ['log-1', 'Buy', '0.001', null, 503, null, 'http503'],
      ['log-2', 'Buy', '0.001', null, 200, 0, null],
      ['log-3', 'Sell', '0.005', true, 200, 0, null],
    ]);
    expect(logs.every((entry) => entry.symbol === 'BTCUSDT' && entry.apiKey === 'key-1')).toBe(true);
    const all = (await control<{ requests: LoggedRequest[] }>(sim.url, 'GET', '/__sim/requests')).requests;
    expect(all.some((entry) => entry.path === '/v5/market/instruments-info')).toBe(true);
  });
});
