import { eventually, startTestStack, TestStack } from '@legwork/devstack';
import Decimal from 'decimal.js';

// Fills from the private stream (issue 18): with EXECUTOR_STREAM_FILLS on, a sequential leg's fill
// is confirmed from the stream's `execution` events and REST is the fallback. The simulator's
// request log is the evidence: a leg confirmed from the stream costs no /v5/order/realtime and no
// /v5/execution/list call. Whatever the stream does — cut mid-basket, a message duplicated or
// delayed past the wait — the basket ends ACTIVE with each leg placed once and each fill counted once.
const WAIT_MS = 800;
const STREAM_ENV = {
  EXECUTOR_STREAM_FILLS: 'true',
  EXECUTOR_STREAM_FILL_WAIT_MS: String(WAIT_MS),
  EXECUTOR_STREAM_CONNECTS_PER_5MIN: '3000',
  STREAM_RECONNECT_BASE_MS: '200',
  STREAM_RECONNECT_CAP_MS: '1000',
};
const CONFIRMING_READS = ['/v5/order/realtime', '/v5/execution/list'];

interface Leg {
  orderLinkId: string;
  status: string;
  quantity: string;
  filledQuantity: string;
}

describe('sequential legs confirmed from the private stream', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ env: STREAM_ENV });
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Opens a long basket and waits for its end. */
  const openBasket = async (user: Awaited<ReturnType<TestStack['newUser']>>) => {
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    const position = await user.client.waitForStatus(id, ['ACTIVE', 'FAILED'], 60_000);
    return { id, position, legs: position['legs'] as Leg[] };
  };

  /** A user whose account's stream the executor already follows (a first basket opened it; it stays open while idle). */
  const followedUser = async () => {
    const user = await t.newUser({ balanceUsdt: '100000' });
    const first = await openBasket(user);
    expect(first.position['status']).toBe('ACTIVE');
    await eventually(async () => ((await t.sim.streamConnections(user.apiKey)).length === 1 ? true : undefined), {
      what: "the executor following the account's stream",
      timeoutMs: 10_000,
    });
    return user;
  };

  /** The confirming REST reads the executor made for these legs. */
  const confirmingReads = async (apiKey: string, legs: Leg[]) => {
    const links = new Set(legs.map((l) => l.orderLinkId));
    const requests = await t.sim.requests({ apiKey });
    return requests.filter((r) => CONFIRMING_READS.includes(r.path) && r.orderLinkId !== null && links.has(r.orderLinkId));
  };

  /** Each leg placed once on the exchange, and its fills in the ledger counted once: they add up to its quantity. */
  const expectEachLegOnce = async (apiKey: string, positionId: string, legs: Leg[]) => {
    const accepted = (await t.sim.orderCreates(apiKey)).filter((c) => c.retCode === 0 && legs.some((l) => l.orderLinkId === c.orderLinkId));
    expect(accepted.map((c) => c.orderLinkId).sort()).toEqual(legs.map((l) => l.orderLinkId).sort());
    const rows: { order_link_id: string; quantity: string; filled: string; trades: string; execs: number }[] = await t.db.query(
      `SELECT o.order_link_id, o.quantity, o.filled_quantity AS filled, coalesce(sum(t.quantity), 0) AS trades, count(DISTINCT t.exec_id)::int AS execs
         FROM orders o LEFT JOIN trades t ON t.order_id = o.id
        WHERE o.position_id = $1 AND o.purpose = 'open' GROUP BY o.id ORDER BY o.leg_index`,
      [positionId],
    );
    expect(rows).toHaveLength(legs.length);
    for (const row of rows) {
      expect(new Decimal(row.filled).eq(row.quantity)).toBe(true);
      expect(new Decimal(row.trades).eq(row.filled)).toBe(true);
    }
    const sim = await t.sim.account(apiKey);
    for (const order of sim.orders.filter((o) => legs.some((l) => l.orderLinkId === o.orderLinkId))) {
      expect(order.orderStatus).toBe('Filled');
    }
  };

  it('confirms every leg from the stream: no order-status or executions read for them', async () => {
    const user = await followedUser();
    const { id, position, legs } = await openBasket(user);
    expect(position['status']).toBe('ACTIVE');
    expect(legs.map((l) => l.status)).toEqual(['FILLED', 'FILLED', 'FILLED', 'FILLED', 'FILLED']);
    expect(await confirmingReads(user.apiKey, legs)).toEqual([]);
    await expectEachLegOnce(user.apiKey, id, legs);
    const metrics = await (await fetch(`${t.stack.urls.executor}/metrics`)).text();
    expect(metrics).toMatch(/leg_fill_confirmations_total\{[^}]*source="stream"[^}]*\} [1-9]/);
  });

  it('the stream dropped mid-basket still ends ACTIVE with each leg once', async () => {
    const user = await followedUser();
    // A slow network for this account, so the basket is still running when its stream is cut.
    const latency = await fetch(`${t.stack.simUrl}/__sim/latency`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: user.apiKey, roundTripMs: 300 }),
    });
    expect(latency.status).toBe(200);
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await eventually(
      async () => {
        const [row] = await t.db.query(`SELECT count(*)::int AS n FROM orders WHERE position_id = $1 AND status = 'FILLED'`, [id]);
        return row.n >= 1 && row.n < 5 ? true : undefined;
      },
      { what: 'the basket part-way (one leg filled)', timeoutMs: 30_000, intervalMs: 20 },
    );
    expect((await t.sim.dropStream(user.apiKey)).dropped).toBe(1);

    const position = await user.client.waitForStatus(id, ['ACTIVE', 'FAILED'], 60_000);
    expect(position['status']).toBe('ACTIVE');
    const legs = position['legs'] as Leg[];
    expect(legs.map((l) => l.status)).toEqual(['FILLED', 'FILLED', 'FILLED', 'FILLED', 'FILLED']);
    await expectEachLegOnce(user.apiKey, id, legs);
    // And the stream came back (reconnect with backoff) for the next basket.
    await eventually(async () => ((await t.sim.streamConnections(user.apiKey)).length === 1 ? true : undefined), {
      what: 'the stream reconnected',
      timeoutMs: 10_000,
    });
  });

  it('a duplicated execution message does not double a fill', async () => {
    const user = await followedUser();
    await t.sim.setStreamFaults({ apiKey: user.apiKey, messages: [{ effect: 'duplicate', topic: 'execution', count: 20 }] });
    const { id, position, legs } = await openBasket(user);
    expect(position['status']).toBe('ACTIVE');
    expect(await confirmingReads(user.apiKey, legs)).toEqual([]);
    await expectEachLegOnce(user.apiKey, id, legs);
  });

  it('an execution message delayed past the wait: that leg is confirmed over REST, and the late message counts nothing twice', async () => {
    const user = await followedUser();
    await t.sim.setStreamFaults({
      apiKey: user.apiKey,
      messages: [{ effect: 'delay', topic: 'execution', count: 1, delayMs: WAIT_MS + 1500 }],
    });
    const { id, position, legs } = await openBasket(user);
    expect(position['status']).toBe('ACTIVE');
    // The first leg's only message was held: REST confirmed it (its order read by orderLinkId).
    const reads = await confirmingReads(user.apiKey, legs);
    expect(reads.map((r) => r.orderLinkId)).toContain(legs[0]?.orderLinkId);
    // The held message arrives after the leg was recorded; nothing changes.
    await new Promise((r) => setTimeout(r, WAIT_MS + 2000));
    await expectEachLegOnce(user.apiKey, id, legs);
  });
});
