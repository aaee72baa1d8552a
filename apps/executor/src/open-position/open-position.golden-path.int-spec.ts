import { startTestStack, TestStack } from '@legwork/devstack';

// A five-leg basket opened through the gateway's HTTP API, executed by the executor process
// through ccxt against the simulator, recorded in PostgreSQL.
describe('open a synthetic index position end to end', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('accepts at once, places every leg once, records every fill, snapshots components, ends ACTIVE', async () => {
    const user = await t.newUser();
    const accepted = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ positionId: expect.any(String), status: 'PENDING' });

    const position = await user.client.waitForStatus(String(accepted.body['positionId']), ['ACTIVE', 'FAILED']);
    expect(position['status']).toBe('ACTIVE');
    const legs = position['legs'] as {
      symbol: string;
      side: string;
      status: string;
      orderLinkId: string;
      filledQuantity: string;
      fills: { execId: string; quantity: string }[];
    }[];
    expect(legs.map((l) => [l.symbol, l.side, l.status])).toEqual([
      ['BTCUSDT', 'buy', 'FILLED'],
      ['ETHUSDT', 'buy', 'FILLED'],
      ['XRPUSDT', 'buy', 'FILLED'],
      ['DOGEUSDT', 'buy', 'FILLED'],
      ['LTCUSDT', 'buy', 'FILLED'],
    ]);
    for (const leg of legs) {
      expect(leg.fills.length).toBeGreaterThan(0);
      expect(leg.orderLinkId).toMatch(/^lw[A-Za-z0-9_-]{26}$/);
    }
    const components = position['components'] as { symbol: string; expectedQuantity: string; entryPrice: string }[];
    expect(components).toHaveLength(5);
    expect(components.map((c) => Number(c.expectedQuantity))).toEqual(legs.map((l) => Number(l.filledQuantity)));
    expect((position['history'] as { to: string }[]).map((h) => h.to)).toEqual(['PENDING', 'EXECUTING', 'ACTIVE']);

    // The exchange's own record: one order per leg, each orderLinkId once, and the positions exist.
    const creates = await t.sim.orderCreates(user.apiKey);
    expect(creates.map((r) => r.orderLinkId)).toEqual(legs.map((l) => l.orderLinkId));
    const trades = await t.db.query('SELECT count(*)::int AS n FROM trades WHERE position_id = $1', [position['id']]);
    expect(trades[0].n).toBe(legs.reduce((n, l) => n + l.fills.length, 0));
  });

  it("lists the caller's positions, shows indices, serves OpenAPI, health and metrics", async () => {
    const user = await t.newUser();
    const other = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '500', direction: 'short' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE']);
    const list = await user.client.request('GET', '/api/positions');
    expect((list.body['positions'] as { id: string }[]).map((p) => p.id)).toEqual([id]);
    // Another user's id answers exactly like a missing one.
    const foreign = await other.client.getPosition(id);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ error: { code: 'POSITION.NOT_FOUND', message: expect.any(String) } });
    const indices = await user.client.request('GET', '/api/indices');
    expect(indices.status).toBe(200);
    const docs = await fetch(`${t.stack.gatewayUrl}/api/openapi.json`);
    expect(((await docs.json()) as { openapi: string }).openapi).toBe('3.1.0');
    expect((await fetch(`${t.stack.gatewayUrl}/health`)).status).toBe(200);
    const metrics = await (await fetch(`${t.stack.urls.executor}/metrics`)).text();
    expect(metrics).toMatch(/position_verification_lag_seconds_count\{service="executor",source="order"\} [1-9]/);
  });
});
