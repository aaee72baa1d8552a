import { followUntilMs, LeasePlanInput, LeaseView, planStreamLeases } from './stream-lease-plan';

const NOW = 1_000_000;
const TTL = 15_000;
const accounts = (n: number) => Array.from({ length: n }, (_, i) => `acc-${String(i).padStart(2, '0')}`);
const alive = (...ids: string[]) => ids.map((replicaId) => ({ replicaId, expiresAtMs: NOW + TTL }));

function input(partial: Partial<LeasePlanInput>): LeasePlanInput {
  return { self: 'a', nowMs: NOW, wanted: [], leases: new Map(), replicas: [], following: [], ...partial };
}

function leases(entries: [string, string, number][]): Map<string, LeaseView> {
  return new Map(entries.map(([accountId, holder, expiresAtMs], i) => [accountId, { holder, expiresAtMs, revision: i + 1 }]));
}

/** Runs rounds of every replica in turn against one KV map (writes as the adapter does them, all succeeding unless taken). */
function simulate(replicas: string[], wanted: string[], rounds: number, kv = new Map<string, LeaseView>()) {
  let revision = 100;
  for (let round = 0; round < rounds; round += 1) {
    for (const self of replicas) {
      const plan = planStreamLeases(input({ self, wanted, leases: kv, replicas: alive(...replicas) }));
      for (const { accountId } of plan.release) kv.delete(accountId);
      for (const { accountId } of plan.renew) kv.set(accountId, { holder: self, expiresAtMs: NOW + TTL, revision: (revision += 1) });
      for (const { accountId, revision: expected } of plan.acquire) {
        if ((kv.get(accountId)?.revision ?? null) !== expected) continue; // compare-and-set lost
        kv.set(accountId, { holder: self, expiresAtMs: NOW + TTL, revision: (revision += 1) });
      }
    }
  }
  const held = (self: string) => [...kv].filter(([, l]) => l.holder === self).map(([id]) => id);
  return { kv, held };
}

describe('planStreamLeases', () => {
  it('a lone replica takes every free account, creating the missing leases', () => {
    const plan = planStreamLeases(input({ wanted: accounts(3) }));
    expect(plan.acquire.map((a) => a.accountId).sort()).toEqual(accounts(3));
    expect(plan.acquire.every((a) => a.revision === null)).toBe(true);
    expect(plan).toMatchObject({ stop: [], release: [], renew: [] });
  });

  it('two live replicas: each takes at most ceil(n / 2), and the other replica’s live leases are never taken', () => {
    const wanted = accounts(5);
    const kv = leases([['acc-00', 'b', NOW + 1]]);
    const plan = planStreamLeases(input({ wanted, leases: kv, replicas: alive('a', 'b') }));
    expect(plan.acquire).toHaveLength(3);
    expect(plan.acquire.map((a) => a.accountId)).not.toContain('acc-00');
  });

  it('an expired lease of another replica is taken over at the revision read (compare-and-set)', () => {
    const kv = leases([['acc-00', 'b', NOW]]);
    const plan = planStreamLeases(input({ wanted: ['acc-00'], leases: kv, replicas: alive('a') }));
    expect(plan.acquire).toEqual([{ accountId: 'acc-00', revision: 1 }]);
  });

  it('a replica above its share releases the surplus and renews the rest; accounts without a live position are released', () => {
    const wanted = accounts(4);
    const kv = leases([...wanted.map((id): [string, string, number] => [id, 'a', NOW + TTL]), ['gone', 'a', NOW + TTL]]);
    const plan = planStreamLeases(input({ wanted, leases: kv, replicas: alive('a', 'b'), following: [...wanted, 'gone'] }));
    expect(plan.renew.map((r) => r.accountId)).toEqual(['acc-00', 'acc-01']);
    expect(plan.release.map((r) => r.accountId)).toEqual(['acc-02', 'acc-03', 'gone']);
    expect(plan.acquire).toEqual([]);
    expect(plan.stop).toEqual([]);
  });

  it('an expired replica heartbeat does not count: the live one takes its share of everything', () => {
    const plan = planStreamLeases(input({ wanted: accounts(4), replicas: [{ replicaId: 'b', expiresAtMs: NOW - 1 }] }));
    expect(plan.acquire).toHaveLength(4);
  });

  it('a followed account whose lease is another replica’s, or gone, is stopped at once', () => {
    const kv = leases([
      ['acc-00', 'b', NOW + TTL],
      ['acc-01', 'a', NOW + TTL],
    ]);
    const plan = planStreamLeases(
      input({ wanted: accounts(3), leases: kv, replicas: alive('a', 'b'), following: ['acc-00', 'acc-01', 'acc-02'] }),
    );
    expect(plan.stop).toEqual(['acc-00', 'acc-02']);
    expect(plan.renew).toEqual([{ accountId: 'acc-01', revision: 2 }]);
    expect(plan.acquire).toEqual([{ accountId: 'acc-02', revision: null }]);
  });

  it('our own lease past its expiry is renewed at its revision (nobody took it: the compare-and-set tells)', () => {
    const plan = planStreamLeases(input({ wanted: ['acc-00'], leases: leases([['acc-00', 'a', NOW - 5_000]]) }));
    expect(plan.renew).toEqual([{ accountId: 'acc-00', revision: 1 }]);
    expect(plan.acquire).toEqual([]);
  });

  it('three replicas racing over 10 accounts converge: every account held exactly once, none above ceil(10 / 3)', () => {
    const wanted = accounts(10);
    const { kv, held } = simulate(['a', 'b', 'c'], wanted, 3);
    expect([...kv.keys()].sort()).toEqual(wanted);
    const counts = ['a', 'b', 'c'].map((r) => held(r).length);
    expect(counts.reduce((s, n) => s + n, 0)).toBe(10);
    expect(Math.max(...counts)).toBeLessThanOrEqual(4);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
  });

  it('a replica joining later gets its share from the one that held everything', () => {
    const wanted = accounts(6);
    const { kv } = simulate(['a'], wanted, 1);
    const { held } = simulate(['a', 'b'], wanted, 2, kv);
    expect(held('a')).toHaveLength(3);
    expect(held('b')).toHaveLength(3);
  });

  it('no replica ever plans to take an account whose lease is another replica’s and live', () => {
    for (let seed = 0; seed < 50; seed += 1) {
      const wanted = accounts(8);
      const kv = leases(
        wanted.map((id, i): [string, string, number] => [id, ['a', 'b', 'c'][(i + seed) % 3] ?? 'a', NOW + ((i * seed) % 3) - 1]),
      );
      const plan = planStreamLeases(input({ self: 'c', wanted, leases: kv, replicas: alive('a', 'b', 'c') }));
      for (const { accountId } of plan.acquire) {
        const lease = kv.get(accountId);
        expect(lease === undefined || lease.expiresAtMs <= NOW).toBe(true);
      }
    }
  });
});

describe('followUntilMs', () => {
  it('follows for two thirds of the lease: another replica sees it expired a third of the lease later', () => {
    expect(followUntilMs(NOW, TTL)).toBe(NOW + 10_000);
  });
});
