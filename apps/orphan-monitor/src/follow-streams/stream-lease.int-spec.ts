import { Kvm } from '@nats-io/kv';
import { eventually, type ServiceProcess, startTestStack, streamTestEnv, TestStack, testNatsUrl } from '@legwork/devstack';
import { Bus, connectBus } from '@legwork/messaging';
import { streamLeaseBucket } from './stream-leases';

// Exactly one orphan-monitor replica follows each account's private stream (issue 18): the
// accounts are shared between two replicas, each on exactly one connection; a replica stopped
// gracefully releases its leases (taken over at the next round, well before they would expire);
// a SIGKILLed one loses its accounts to the other once its leases expire, and a manual trade on
// one of them is then suspected within seconds and alerted once. Scheduled scans are kept out of the way (streamTestEnv).
const GRACE_MS = 2000;
const LEASE_TTL_MS = 6000;
const LEASE_RENEW_MS = 500;
const ACCOUNTS = 4;
const ENV = {
  ...streamTestEnv(GRACE_MS),
  STREAM_LEASE_TTL_MS: String(LEASE_TTL_MS),
  STREAM_LEASE_RENEW_MS: String(LEASE_RENEW_MS),
  STREAM_CONNECTS_PER_5MIN: '3000',
};

describe('stream leases: one orphan-monitor replica per account', () => {
  let t: TestStack;
  let bus: Bus;
  let users: { accountId: string; apiKey: string }[] = [];
  /** The most connections each account had at once, sampled every 100 ms throughout the file. */
  const mostConnections = new Map<string, number>();
  let sampler: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor', 'orphan-monitor'], env: ENV });
    bus = await connectBus(testNatsUrl(), t.namespace, 'test-stream-leases');
    users = await Promise.all(
      Array.from({ length: ACCOUNTS }, async () => {
        const user = await t.newUser();
        const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
        await user.client.waitForStatus(String(body['positionId']), ['ACTIVE']);
        return user;
      }),
    );
    sampler = setInterval(() => {
      for (const { apiKey } of users)
        void t.sim
          .streamConnections(apiKey)
          .then((c) => mostConnections.set(apiKey, Math.max(mostConnections.get(apiKey) ?? 0, c.length)))
          .catch(() => undefined); // a sample lost while the stack stops; the next one counts
    }, 100);
  });
  afterAll(async () => {
    clearInterval(sampler);
    await bus?.close();
    await t?.stop();
  });

  /** Each account's lease holder (absent: no lease). */
  const holders = async (): Promise<Map<string, string>> => {
    const kv = await new Kvm(bus.js).open(streamLeaseBucket(t.namespace));
    const held = new Map<string, string>();
    for (const { accountId } of users) {
      const entry = await kv.get(`accounts.${accountId}`);
      if (entry?.operation === 'PUT') held.set(accountId, entry.json<{ holder: string }>().holder);
    }
    return held;
  };
  const connectionIds = async () => Promise.all(users.map(async (u) => (await t.sim.streamConnections(u.apiKey)).map((c) => c.connId)));
  const ofProcess = (holder: string | undefined, process: ServiceProcess) => holder?.includes(`-${process.pid}-`) ?? false;

  /** Every account on exactly one connection, its lease held by one of `replicas` (all of them holding some when `shared`). */
  const followedOnceBy = (replicas: ServiceProcess[], shared: boolean, timeoutMs: number) =>
    eventually(
      async () => {
        const [connections, held] = await Promise.all([connectionIds(), holders()]);
        if (connections.some((c) => c.length !== 1) || held.size !== users.length) return undefined;
        const counts = replicas.map((r) => [...held.values()].filter((h) => ofProcess(h, r)).length);
        if (counts.reduce((s, n) => s + n, 0) !== users.length || (shared && counts.some((n) => n === 0))) return undefined;
        return { held, connections };
      },
      { what: `every account followed exactly once by ${replicas.map((r) => r.name).join(', ')}`, timeoutMs, intervalMs: 100 },
    );

  const orphanAlerts = async (accountId: string) =>
    (await t.alerts()).filter((a) => a.accountId === accountId && a.kind.startsWith('orphan.'));

  it('two replicas share the accounts, one connection each; a replica stopped gracefully hands its accounts over at once', async () => {
    const first = t.stack.services['orphan-monitor'] as ServiceProcess;
    const second = await t.stack.startService('orphan-monitor');
    const { connections } = await followedOnceBy([first, second], true, 20_000);
    await new Promise((r) => setTimeout(r, 4 * LEASE_RENEW_MS)); // renewals and rebalancing: nothing moves any more
    expect(await connectionIds()).toEqual(connections);

    const moved = [...(await holders())].filter(([, h]) => ofProcess(h, second)).map(([id]) => id);
    const stoppedAt = Date.now();
    await second.stop();
    const { held } = await followedOnceBy([first], false, LEASE_TTL_MS + 10_000);
    // Released, not expired: taken over at the next round, well inside the lease time.
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_TTL_MS - 1000);
    expect(moved.every((id) => ofProcess(held.get(id), first))).toBe(true);
  });

  it('a SIGKILLed replica’s accounts are followed by the other within the lease time; a manual trade on one is alerted once', async () => {
    const first = t.stack.services['orphan-monitor'] as ServiceProcess;
    const second = await t.stack.startService('orphan-monitor');
    await followedOnceBy([first, second], true, 20_000);
    const orphaned = [...(await holders())].filter(([, h]) => ofProcess(h, second)).map(([id]) => id);

    second.kill('SIGKILL');
    expect(await second.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });
    const killedAt = Date.now();
    await followedOnceBy([first], false, LEASE_TTL_MS + 15_000);
    expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_MS + 5_000);

    const user = users.find((u) => u.accountId === orphaned[0]);
    if (!user) throw new Error('the killed replica held no account');
    const tradedAt = Date.now();
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'TRXUSDT', side: 'Buy', qty: '500' });
    await eventually(
      async () => {
        const rows: { status: string }[] = await t.db.query(
          "SELECT status FROM orphan_observations WHERE account_id = $1 AND symbol = 'TRXUSDT'",
          [user.accountId],
        );
        return rows[0];
      },
      { what: 'the TRXUSDT orphan suspected', timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(Date.now() - tradedAt).toBeLessThan(5_000);
    await eventually(async () => ((await orphanAlerts(user.accountId)).length > 0 ? true : undefined), {
      what: 'the orphan alert',
      timeoutMs: GRACE_MS + 10_000,
    });
    await new Promise((r) => setTimeout(r, GRACE_MS + 1_000)); // nothing more comes
    expect((await orphanAlerts(user.accountId)).map((a) => [a.kind, a.details['symbol']])).toEqual([['orphan.detected', 'TRXUSDT']]);
  });

  it('across both (joins, rebalancing, a graceful stop, a kill): never two connections for one account at once', () => {
    expect(users.map((u) => mostConnections.get(u.apiKey))).toEqual(users.map(() => 1));
  });
});
