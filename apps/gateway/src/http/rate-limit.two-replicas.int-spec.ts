import { findFreePort, GatewayClient, startTestStack, TestStack } from '@legwork/devstack';

// Three replicas used to allow three times the limit (one in-memory count each): the count now
// lives in PostgreSQL, so two gateway processes on one database enforce one limit per caller.
describe('rate limit shared by two gateway replicas', () => {
  const LIMIT = 20;
  let t: TestStack;
  let second: string;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway'], env: { GATEWAY_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
    const port = await findFreePort();
    await t.stack.startService('gateway', { GATEWAY_PORT: String(port) });
    second = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a burst spread over both replicas gets exactly the limit, counted once per request', async () => {
    const user = await t.newUser();
    const replicas = [new GatewayClient(t.stack.gatewayUrl, user.token), new GatewayClient(second, user.token)];
    // 2 × LIMIT requests at once, alternating replicas: every hit races the others on one row.
    // (The burst takes a second or two; the window is a minute, so it is one window.)
    const responses = await Promise.all(Array.from({ length: 2 * LIMIT }, (_, i) => replicas[i % 2]!.request('GET', '/api/indices')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBe(LIMIT);
    expect(statuses.filter((s) => s === 429).length).toBe(LIMIT);
    const limited = responses.filter((r) => r.status === 429);
    // Both replicas refuse: neither has a limit of its own left.
    expect(new Set(limited.map((r) => r.headers.get('x-ratelimit-limit')))).toEqual(new Set([String(LIMIT)]));
    for (const replica of replicas) expect((await replica.request('GET', '/api/indices')).status).toBe(429);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited[0]!.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringContaining(`at most ${LIMIT} per minute`) } });
    const rows: { hits: number }[] = await t.db.query('SELECT hits FROM gateway_rate_limits WHERE key LIKE $1', ['token:%']);
    expect(rows.map((r) => r.hits)).toEqual([2 * LIMIT + 2]);
  });

  it('another caller keeps its own full limit on either replica', async () => {
    const calm = await t.newUser();
    expect((await new GatewayClient(second, calm.token).request('GET', '/api/indices')).status).toBe(200);
    expect((await new GatewayClient(t.stack.gatewayUrl, calm.token).request('GET', '/api/indices')).status).toBe(200);
    expect((await fetch(`${second}/health`)).status).toBe(200); // probes are exempt
  });
});
