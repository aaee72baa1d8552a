import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, startTestStack, TestStack } from '@legwork/devstack';

// What a frontend needs besides trading: the document and its UI, CORS for its origin, its
// accounts, and pages of positions. Every answer of the typed client is checked against the
// document by the client itself (GatewayClient).
describe('the API a frontend sees', () => {
  let t: TestStack;
  const origin = 'https://app.example.com';
  beforeAll(async () => {
    // No executor: opened positions stay PENDING, which is all the pages need.
    t = await startTestStack({ services: ['bybit-sim', 'gateway'], env: { GATEWAY_CORS_ORIGINS: `${origin},http://localhost:5173` } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves the committed OpenAPI document at /api/openapi.json and a reference UI at /api/docs, without a token', async () => {
    const document = await fetch(`${t.stack.gatewayUrl}/api/openapi.json`);
    expect(document.status).toBe(200);
    expect(await document.json()).toEqual(JSON.parse(readFileSync(path.join(repoRoot(), 'libs/api-client/src/openapi.json'), 'utf8')));
    const ui = await fetch(`${t.stack.gatewayUrl}/api/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    expect(await ui.text()).toMatch(/swagger/i);
  });

  it('answers a preflight from a configured origin with CORS headers, and gives any other origin none', async () => {
    const preflight = (from: string) =>
      fetch(`${t.stack.gatewayUrl}/api/positions`, {
        method: 'OPTIONS',
        headers: {
          origin: from,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });
    const allowed = await preflight(origin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const refused = await preflight('https://evil.example.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const user = await t.newUser();
    const get = await fetch(`${t.stack.gatewayUrl}/api/indices`, { headers: { origin, authorization: `Bearer ${user.token}` } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe(origin);
    expect(get.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('idempotent-replayed');
    const other = await fetch(`${t.stack.gatewayUrl}/api/indices`, {
      headers: { origin: 'https://evil.example.net', authorization: `Bearer ${user.token}` },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("lists the caller's accounts with mode and key status, never another user's, never a secret", async () => {
    const alice = await t.newUser({ positionMode: 'hedge' });
    const bob = await t.newUser();
    const { data, response } = await alice.client.api.GET('/api/accounts');
    expect(response.status).toBe(200);
    expect(data?.accounts).toEqual([
      {
        id: alice.accountId,
        exchangeEnv: 'sim',
        positionMode: 'hedge',
        apiKeyHint: `****${alice.apiKey.slice(-4)}`,
        keyStatus: 'ok',
        keyRefused: null,
        createdAt: expect.any(String),
      },
    ]);
    const text = JSON.stringify(data);
    expect(text).not.toContain(alice.apiKey);
    expect(text).not.toContain(alice.apiSecret);
    const forBob = await bob.client.api.GET('/api/accounts');
    expect(forBob.data?.accounts.map((a) => a.id)).toEqual([bob.accountId]);
    const unknownParam = await alice.client.request('GET', '/api/accounts?userId=x');
    expect(unknownParam.status).toBe(400);
    expect((await fetch(`${t.stack.gatewayUrl}/api/accounts`)).status).toBe(401);
  });

  it('pages positions newest first with an opaque cursor: every position once, stable while new ones arrive', async () => {
    const user = await t.newUser();
    const stranger = await t.newUser();
    const opened: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { data } = await user.client.api.POST('/api/positions', {
        body: { indexId: user.indexId, notionalUsdt: '100', direction: 'long' },
      });
      opened.push(data?.positionId ?? '');
    }
    const first = await user.client.api.GET('/api/positions', { params: { query: { limit: '2' } } });
    expect(first.data?.positions.map((p) => p.id)).toEqual([opened[4], opened[3]]);
    // A position opened between two pages is newer than the cursor: it never shifts the pages after.
    await user.client.api.POST('/api/positions', { body: { indexId: user.indexId, notionalUsdt: '100', direction: 'long' } });
    const second = await user.client.api.GET('/api/positions', { params: { query: { limit: '2', cursor: first.data?.nextCursor ?? '' } } });
    expect(second.data?.positions.map((p) => p.id)).toEqual([opened[2], opened[1]]);
    const last = await user.client.api.GET('/api/positions', { params: { query: { limit: '2', cursor: second.data?.nextCursor ?? '' } } });
    expect(last.data).toEqual({ positions: [expect.objectContaining({ id: opened[0] })], nextCursor: null });

    // Another user's cursor pages only their own positions.
    const strangers = await stranger.client.api.GET('/api/positions', { params: { query: { cursor: first.data?.nextCursor ?? '' } } });
    expect(strangers.data).toEqual({ positions: [], nextCursor: null });

    const bad = await user.client.request('GET', '/api/positions?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: {
        code: 'VALIDATION.INVALID_FIELD',
        message: 'cursor: must be a nextCursor from an earlier page',
        location: 'query',
        field: 'cursor',
      },
    });
  });
});
