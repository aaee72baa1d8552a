// The private stream over real sockets with a plain `ws` client: Bybit's auth and its refusals,
// subscribe/ping answers, the messages of every engine change (trades, a book walk, funding, a
// liquidation), and the faults (drop, stall, duplicate, delay) with nothing replayed.
import { WebSocket } from 'ws';
import { BybitSim, startBybitSim } from '../index';
import { control, createAccount } from '../testing/sim-client';
import { Frame, StreamClient } from '../testing/stream-client';

const rows = (frame: Frame): Frame[] => frame['data'] as Frame[];
const userId = async (sim: BybitSim, apiKey: string): Promise<number> => {
  const state = await control<{ accounts: { apiKey: string; userId: number }[] }>(sim.url, 'GET', '/__sim/state');
  return state.accounts.find((account) => account.apiKey === apiKey)?.userId ?? -1;
};
const trade = (sim: BybitSim, apiKey: string, side: 'Buy' | 'Sell', qty: string, extra: Record<string, unknown> = {}): Promise<unknown> =>
  control(sim.url, 'POST', '/__sim/trade', { apiKey, symbol: 'BTCUSDT', side, qty, ...extra });

describe('private stream (plain ws client)', () => {
  let sim: BybitSim;
  const clients: StreamClient[] = [];

  const open = async (): Promise<StreamClient> => {
    const client = await StreamClient.connect(sim.privateStreamUrl);
    clients.push(client);
    return client;
  };
  const subscribed = async (apiKey = 'k1', secret = 's1', topics = ['order', 'execution', 'position', 'wallet']): Promise<StreamClient> => {
    const client = await open();
    expect(await client.auth(apiKey, secret)).toMatchObject({ success: true, ret_msg: '', op: 'auth' });
    expect(await client.request('subscribe', topics)).toMatchObject({ success: true, ret_msg: '', op: 'subscribe' });
    return client;
  };

  beforeAll(async () => {
    sim = await startBybitSim({ port: 0, priceTickMs: 0, seed: 3, fillAtMark: true });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await control(sim.url, 'POST', '/__sim/reset');
    await createAccount(sim.url, 'k1', 's1', '10000', false, { defaultLeverage: '1' });
    await createAccount(sim.url, 'k2', 's2', '10000', false, { defaultLeverage: '1' });
    await control(sim.url, 'POST', '/__sim/prices', { BTCUSDT: '65000', ETHUSDT: '3200' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('answers auth, subscribe and ping in Bybit shapes', async () => {
    const client = await open();
    const auth = await client.auth('k1', 's1');
    expect(Object.keys(auth).sort()).toEqual(['conn_id', 'op', 'req_id', 'ret_msg', 'success']);
    expect(auth['conn_id']).toMatch(/^[0-9a-f]{20}-[0-9a-f]{4}$/);
    expect(await client.request('subscribe', ['order.linear', 'execution.fast'], 'sub-1')).toEqual({
      success: true,
      ret_msg: '',
      op: 'subscribe',
      req_id: 'sub-1',
      conn_id: auth['conn_id'],
    });
    const before = Date.now();
    const pong = await client.request('ping', [], 'p-1');
    expect(pong).toMatchObject({ op: 'pong', req_id: 'p-1', conn_id: auth['conn_id'] });
    expect(Number((pong['args'] as string[])[0])).toBeGreaterThanOrEqual(before);
    expect(await client.request('unsubscribe', ['order.linear'])).toMatchObject({ success: true, op: 'unsubscribe' });
  });

  it('refuses a wrong key, a wrong signature, an expired auth, early subscribes, bad topics and unknown ops', async () => {
    const client = await open();
    expect(await client.request('subscribe', ['order'])).toMatchObject({ success: false, ret_msg: 'Request not authorized' });
    expect(await client.auth('nobody', 's1')).toMatchObject({ success: false, ret_msg: 'Invalid apikey', op: 'auth' });
    expect(await client.auth('k1', 'wrong-secret')).toMatchObject({ success: false, ret_msg: 'Params Error', op: 'auth' });
    expect(await client.auth('k1', 's1', -1000)).toMatchObject({ success: false, ret_msg: 'Params Error', op: 'auth' });
    expect(await client.request('subscribe', ['order'])).toMatchObject({ success: false, ret_msg: 'Request not authorized' });
    expect(await client.auth('k1', 's1')).toMatchObject({ success: true });
    expect(await client.request('subscribe', ['order', 'dcp'])).toMatchObject({ success: false, ret_msg: 'Invalid topic: dcp' });
    expect(await client.request('subscribe', ['order', 'order.linear'])).toMatchObject({ success: false });
    expect(await client.request('hello')).toMatchObject({ success: false, ret_msg: 'error:invalid op', op: 'hello' });
    const state = await control<{ connections: { lastAuthRefusal: string; topics: string[] }[] }>(sim.url, 'GET', '/__sim/stream');
    expect(state.connections[0]).toMatchObject({ lastAuthRefusal: 'expired', topics: [] });
  });

  it('refuses an upgrade on another path', async () => {
    const socket = new WebSocket(sim.privateStreamUrl.replace('/v5/private', '/v5/public/linear'));
    await expect(new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)))).rejects.toThrow(/404/);
  });

  it('pushes order, executions, position and wallet for a trade; only to the account subscribed', async () => {
    const client = await subscribed();
    const other = await subscribed('k2', 's2');
    await trade(sim, 'k1', 'Buy', '0.010', { orderLinkId: 'manual-1' });
    const order = await client.next((frame) => frame['topic'] === 'order');
    const execution = await client.next((frame) => frame['topic'] === 'execution');
    const position = await client.next((frame) => frame['topic'] === 'position');
    const wallet = await client.next((frame) => frame['topic'] === 'wallet');
    expect(rows(order)[0]).toMatchObject({
      category: 'linear',
      orderLinkId: 'manual-1',
      orderStatus: 'Filled',
      createType: 'CreateByUser',
      cumExecQty: '0.010',
    });
    const fill = rows(execution)[0] ?? {};
    expect(fill).toMatchObject({
      category: 'linear',
      execType: 'Trade',
      execPrice: '65000.00',
      execQty: '0.010',
      createType: 'CreateByUser',
    });
    expect(typeof fill['seq']).toBe('number');
    expect(execution['id']).toBe(`${await userId(sim, 'k1')}_BTCUSDT_${String(fill['seq'])}`);
    expect(rows(position)[0]).toMatchObject({ symbol: 'BTCUSDT', side: 'Buy', size: '0.010', entryPrice: '65000', seq: fill['seq'] });
    expect(rows(wallet)[0]).toMatchObject({ accountType: 'UNIFIED', totalWalletBalance: '9999.6425' });
    expect(order['creationTime']).toBe(Number(fill['execTime']));
    expect(other.frames.filter((frame) => 'topic' in frame)).toEqual([]);
  });

  it('shows a close from the app as CreateByClosing on the order and its execution', async () => {
    const client = await subscribed();
    await trade(sim, 'k1', 'Buy', '0.020');
    await trade(sim, 'k1', 'Sell', '0.005', { createType: 'CreateByClosing' });
    const closing = await client.next((frame) => frame['topic'] === 'order' && rows(frame)[0]?.['side'] === 'Sell');
    expect(rows(closing)[0]).toMatchObject({ createType: 'CreateByClosing', reduceOnly: true, qty: '0.005' });
    const fill = await client.next((frame) => frame['topic'] === 'execution' && rows(frame)[0]?.['side'] === 'Sell');
    expect(rows(fill)[0]).toMatchObject({ createType: 'CreateByClosing', execType: 'Trade', closedSize: '0.005' });
  });

  it('sends a book walk as one execution message with one row per level', async () => {
    const client = await subscribed();
    await control(sim.url, 'POST', '/__sim/fill-mode', { apiKey: 'k1', fillAtMark: false });
    await control(sim.url, 'POST', '/__sim/order-book', { symbol: 'BTCUSDT', depth: 5, levelNotionalUsdt: '1000' });
    await trade(sim, 'k1', 'Buy', '0.030');
    const execution = await client.next((frame) => frame['topic'] === 'execution');
    expect(rows(execution).length).toBeGreaterThan(1);
    const total = rows(execution).reduce((sum, row) => sum + Number(row['execQty']), 0);
    expect(total).toBeCloseTo(0.03, 9);
  });

  it('pushes funding as execType Funding with no order, and a liquidation as CreateByLiq / BustTrade', async () => {
    const client = await subscribed();
    await trade(sim, 'k1', 'Buy', '0.010');
    await client.next((frame) => frame['topic'] === 'wallet');
    client.frames.length = 0;
    await control(sim.url, 'POST', '/__sim/funding/settle', { symbol: 'BTCUSDT' });
    const funding = await client.next((frame) => frame['topic'] === 'execution');
    expect(rows(funding)[0]).toMatchObject({ execType: 'Funding', execQty: '0.010', feeRate: '0.0001', execFee: '0.065', orderLinkId: '' });
    await client.next((frame) => frame['topic'] === 'wallet');
    expect(client.topic('order')).toEqual([]);
    expect(rows(await client.next((frame) => frame['topic'] === 'position'))[0]).toMatchObject({
      size: '0.010',
      curRealisedPnl: '-0.4225',
    });

    client.frames.length = 0;
    await control(sim.url, 'POST', '/__sim/liquidate', { apiKey: 'k1', symbol: 'BTCUSDT' });
    const order = await client.next((frame) => frame['topic'] === 'order');
    expect(rows(order)[0]).toMatchObject({ createType: 'CreateByLiq', orderLinkId: '', reduceOnly: true, side: 'Sell' });
    expect(rows(await client.next((frame) => frame['topic'] === 'execution'))[0]).toMatchObject({
      execType: 'BustTrade',
      createType: 'CreateByLiq',
    });
    expect(rows(await client.next((frame) => frame['topic'] === 'position'))[0]).toMatchObject({ side: '', size: '0.000' });
    await expect(control(sim.url, 'POST', '/__sim/liquidate', { apiKey: 'k1', symbol: 'BTCUSDT' })).rejects.toThrow(/409/);
  });

  it('drops the connections of one account only, and replays nothing on the next connection', async () => {
    const dropped = await subscribed();
    const survivor = await subscribed('k2', 's2');
    expect(await control(sim.url, 'POST', '/__sim/stream/drop', { apiKey: 'k1' })).toEqual({ dropped: 1 });
    expect(await dropped.whenClosed()).toBe(1006);
    await trade(sim, 'k1', 'Buy', '0.010', { orderLinkId: 'manual-while-down' });
    const again = await subscribed();
    await trade(sim, 'k1', 'Buy', '0.010', { orderLinkId: 'manual-after' });
    await again.next((frame) => frame['topic'] === 'wallet');
    expect(again.topic('order').map((frame) => rows(frame)[0]?.['orderLinkId'])).toEqual(['manual-after']);
    expect(survivor.isClosed).toBe(false);
  });

  it('stalls silently: no pong, no data, then what was held arrives if the connection survived', async () => {
    const client = await subscribed();
    const before = client.frames.length;
    await control(sim.url, 'POST', '/__sim/stream/stall', { apiKey: 'k1', durationMs: 600 });
    client.send({ req_id: 'stalled-ping', op: 'ping' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await trade(sim, 'k1', 'Buy', '0.010');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.frames.filter((frame) => frame['req_id'] === 'stalled-ping' || 'topic' in frame)).toEqual([]);
    const state = await control<{ connections: { stalledUntil: number | null; heldFrames: number }[] }>(sim.url, 'GET', '/__sim/stream');
    expect(state.connections[0]?.heldFrames).toBe(5);
    await client.next((frame) => frame['topic'] === 'wallet', 2000);
    expect(client.frames.slice(before).map((frame) => frame['topic'] ?? frame['op'])).toEqual([
      'pong',
      'order',
      'execution',
      'position',
      'wallet',
    ]);
  });

  it('duplicates and delays messages as told', async () => {
    const client = await subscribed();
    await control(sim.url, 'POST', '/__sim/stream/faults', {
      apiKey: 'k1',
      messages: [
        { effect: 'duplicate', topic: 'execution', count: 1 },
        { effect: 'delay', topic: 'order', delayMs: 300 },
      ],
    });
    await trade(sim, 'k1', 'Buy', '0.010');
    const order = await client.next((frame) => frame['topic'] === 'order', 2000);
    const topics = client.frames.map((frame) => frame['topic']).filter((topic) => topic !== undefined);
    expect(topics).toEqual(['execution', 'execution', 'position', 'wallet', 'order']);
    const [first, second] = client.topic('execution');
    expect(first).toEqual(second);
    expect(Number(order['creationTime'])).toBeLessThan(Date.now() - 250);
    await control(sim.url, 'DELETE', '/__sim/stream/faults?apiKey=k1');
    client.frames.length = 0;
    await trade(sim, 'k1', 'Buy', '0.010');
    await client.next((frame) => frame['topic'] === 'wallet');
    expect(client.frames.map((frame) => frame['topic'])).toEqual(['order', 'execution', 'position', 'wallet']);
  });

  it('closes every connection on reset', async () => {
    const client = await subscribed();
    await control(sim.url, 'POST', '/__sim/reset');
    expect(await client.whenClosed()).toBe(1006);
  });
});
