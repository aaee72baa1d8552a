import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import {
  createTestDatabase,
  GatewayClient,
  LegworkStack,
  LocalNats,
  seedUser,
  startLegworkStack,
  startNatsServer,
  FAST_EXECUTOR_ENV,
  TEST_ENCRYPTION_KEYS,
  testNamespace,
  TestDatabase,
} from '@legwork/devstack';

// Liveness ≠ readiness: with NATS stopped the gateway stays ready (its outbox holds the commands)
// and says so; its own NATS server, so stopping it disturbs no other test file.
describe('the gateway while NATS is down', () => {
  let dir: string;
  let nats: LocalNats;
  let database: TestDatabase;
  let stack: LegworkStack;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'legwork-nats-down-'));
    nats = await startNatsServer({ dataDir: path.join(dir, 'nats') });
    database = await createTestDatabase();
    stack = await startLegworkStack({
      databaseUrl: database.url,
      natsUrl: nats.url,
      namespace: testNamespace(),
      services: ['bybit-sim', 'gateway'],
      env: FAST_EXECUTOR_ENV,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await nats?.stop();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const health = async (route: string) => {
    const res = await fetch(`${stack.gatewayUrl}${route}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('is live and ready with NATS up', async () => {
    expect(await health('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await health('/health/ready')).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', nats: 'ok' } } });
  });

  it('stays live and ready with NATS stopped, says the outbox holds commands, and accepts an open request (202)', async () => {
    const user = await seedUser({ databaseUrl: database.url, simUrl: stack.simUrl, encryptionKeys: TEST_ENCRYPTION_KEYS });
    await nats.stop();
    expect(await health('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await health('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'degraded',
      checks: { database: 'ok', nats: expect.stringMatching(/^degraded, commands queue in the outbox \(.+\)$/) },
    });
    expect((await health('/health')).status).toBe(200);
    const res = await new GatewayClient(stack.gatewayUrl, user.token).openPosition({
      indexId: user.indexId,
      notionalUsdt: '100',
      direction: 'long',
    });
    expect(res.status).toBe(202);
  });
});
