import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GatewayClient, repoRoot, startTestStack, TestStack } from '@legwork/devstack';
import { SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';

// Who may see and do what, and where secrets must never appear.
describe('isolation, rate limiting and secrets', () => {
  let t: TestStack;
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'lw-logs-'));
  beforeAll(async () => {
    t = await startTestStack({
      logDir,
      services: ['bybit-sim', 'gateway', 'executor', 'reconciler', 'orphan-monitor'],
      env: { RECONCILER_CRON: '0 0 1 1 *', ORPHAN_MONITOR_CRON: '0 0 1 1 *', ORPHAN_GRACE_MS: '500', LOG_LEVEL: 'debug' },
      serviceEnv: { gateway: { GATEWAY_RATE_LIMIT_PER_MINUTE: '60' } },
    });
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it("every route answers another user's ids exactly like missing ones (404, same body)", async () => {
    const owner = await t.newUser();
    const stranger = await t.newUser();
    const { body } = await owner.client.openPosition({ indexId: owner.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await owner.client.waitForStatus(id, ['ACTIVE']);
    const plan = await owner.client.request('GET', `/api/positions/${id}/restore-plan`);
    const missing = '00000000-0000-4000-8000-000000000000';
    const routes: [string, (pid: string) => string, unknown?][] = [
      ['GET', (pid) => `/api/positions/${pid}`],
      ['POST', (pid) => `/api/positions/${pid}/close`],
      ['POST', (pid) => `/api/positions/${pid}/rollback`],
      ['GET', (pid) => `/api/positions/${pid}/restore-plan`],
      ['POST', (pid) => `/api/positions/${pid}/restore`, { planId: plan.body['planId'] }],
    ];
    for (const [method, route, payload] of routes) {
      const foreign = await stranger.client.request(method, route(id), payload);
      const absent = await stranger.client.request(method, route(missing), payload);
      expect([route(':id'), foreign.status, foreign.body['error'] && (foreign.body['error'] as { code: string }).code]).toEqual([
        route(':id'),
        404,
        'POSITION.NOT_FOUND',
      ]);
      expect(foreign.status).toBe(absent.status);
      expect(JSON.stringify(foreign.body).replace(id, 'ID')).toBe(JSON.stringify(absent.body).replace(missing, 'ID'));
    }
    // Listings and alerts show only one's own.
    expect(((await stranger.client.request('GET', '/api/positions')).body['positions'] as unknown[]).length).toBe(0);
    await t.sim.manualTrade({ apiKey: owner.apiKey, symbol: 'TRXUSDT', side: 'Buy', qty: '100' });
    await t.scan('orphans');
    await t.scan('orphans');
    expect(((await owner.client.request('GET', '/api/alerts')).body['alerts'] as unknown[]).length).toBeGreaterThan(0);
    expect((await stranger.client.request('GET', '/api/alerts')).body['alerts']).toEqual([]);
    // The owner's position is untouched by all the stranger's attempts.
    expect((await owner.client.getPosition(id)).body['status']).toBe('ACTIVE');
    // Operator endpoints need the operator role; /health carries no user data.
    expect((await owner.client.request('POST', '/api/operator/orphans/scan', {})).status).toBe(403);
    const health = await (await fetch(`${t.stack.gatewayUrl}/health`)).text();
    expect(health).toBe('{"status":"ok","checks":{"database":"ok","nats":"ok"}}');
  });

  it('per-user rate limit: 429 with Retry-After past the limit; another user is not affected', async () => {
    const busy = await t.newUser();
    const calm = await t.newUser();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<GatewayClient['request']>> | null = null;
    for (let i = 0; i < 70 && !limited; i += 1) {
      const res = await busy.client.request('GET', '/api/indices');
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited?.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringContaining('per minute') } });
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(60);
    expect((await calm.client.request('GET', '/api/indices')).status).toBe(200);
    expect((await fetch(`${t.stack.gatewayUrl}/health`)).status).toBe(200); // exempt
  });

  it('secrets and tokens never appear in logs, API responses, alerts or metrics of a full flow', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE']);
    // A failing leg, an alteration, an orphan, a close: every path that logs or alerts.
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.003', reduceOnly: true });
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'ADAUSDT', side: 'Buy', qty: '100' });
    await t.scan('reconcile');
    await t.scan('orphans');
    await t.scan('orphans');
    await user.client.request('POST', `/api/positions/${id}/close`);
    await user.client.waitForStatus(id, ['CLOSED', 'ACTIVE']);
    const failing = await t.newUser();
    await t.sim.setFaults({ apiKey: failing.apiKey, orderCreate: [{ effect: 'insufficientMargin', count: 1, symbol: 'ETHUSDT' }] });
    const failed = await failing.client.openPosition({ indexId: failing.indexId, notionalUsdt: '1000', direction: 'long' });
    await failing.client.waitForStatus(String(failed.body['positionId']), ['FAILED']);
    await promisify(execFile)(process.execPath, [path.join(repoRoot(), 'dist/apps/cli/src/main.js'), 'orphans:scan'], {
      env: { ...process.env, DATABASE_URL: t.databaseUrl, BYBIT_SIM_URL: t.stack.simUrl },
    }).catch((e: { stdout: string; stderr: string }) => e);

    const secrets = [user.apiSecret, user.token, failing.apiSecret, failing.token, SIM_ONLY_ENCRYPTION_KEYS.split(':')[1] as string];
    const surfaces: Record<string, string> = {
      // Every line every service printed (debug level), from the start of the stack.
      ...Object.fromEntries(readdirSync(logDir).map((file) => [`${file}`, readFileSync(path.join(logDir, file), 'utf8')])),
      'position API': JSON.stringify((await user.client.getPosition(id)).body),
      'positions API': JSON.stringify((await user.client.request('GET', '/api/positions')).body),
      'alerts API': JSON.stringify((await user.client.request('GET', '/api/alerts')).body),
      'alerts stream': JSON.stringify(await t.alerts()),
      ...Object.fromEntries(
        await Promise.all(
          Object.entries(t.stack.urls).map(
            async ([name, url]) => [`${name} metrics`, await (await fetch(`${url}/metrics`)).text()] as const,
          ),
        ),
      ),
    };
    expect(surfaces['executor.log']?.length).toBeGreaterThan(10_000); // debug logs of a full flow were captured
    expect(
      Object.keys(surfaces)
        .filter((k) => k.endsWith('.log'))
        .sort(),
    ).toEqual(['bybit-sim.log', 'executor.log', 'gateway.log', 'orphan-monitor.log', 'reconciler.log']);
    for (const [surface, text] of Object.entries(surfaces)) {
      for (const secret of secrets) {
        if (text.includes(secret)) throw new Error(`a secret appeared in ${surface}`);
      }
    }
  });
});
