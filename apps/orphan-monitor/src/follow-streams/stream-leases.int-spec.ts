import { Kvm } from '@nats-io/kv';
import { testNamespace, testNatsUrl } from '@legwork/devstack';
import { Bus, connectBus } from '@legwork/messaging';
import { streamLeaseBucket, StreamLeaseStore } from './stream-leases';

// The lease store against the real nats-server (2.9 on the machines: no per-message TTL):
// create refuses an existing lease, rewrites and deletes are compare-and-set on the revision,
// a released lease can be created again, heartbeats come and go, and the bucket's max age follows
// the configured lease time even when the bucket exists.
describe('StreamLeaseStore on NATS KV', () => {
  let bus: Bus;
  let store: StreamLeaseStore;
  const soon = () => Date.now() + 10_000;

  beforeAll(async () => {
    bus = await connectBus(testNatsUrl(), testNamespace(), 'test-lease-store');
    store = await StreamLeaseStore.open(bus, 1000);
  });
  afterAll(async () => {
    await bus.jsm.streams.delete(`KV_${streamLeaseBucket(testNamespace())}`).catch(() => false);
    await bus.close();
  });

  it('one creator wins; a rewrite at a stale revision is refused; release is compare-and-set; a released lease is created anew', async () => {
    const first = await store.write('acc-1', null, { holder: 'r1', expiresAtMs: soon() });
    expect(first.kind).toBe('held');
    if (first.kind !== 'held') return;
    expect(await store.write('acc-1', null, { holder: 'r2', expiresAtMs: soon() })).toEqual({ kind: 'taken' });

    const renewed = await store.write('acc-1', first.revision, { holder: 'r1', expiresAtMs: soon() });
    expect(renewed.kind).toBe('held');
    expect(await store.write('acc-1', first.revision, { holder: 'r2', expiresAtMs: soon() })).toEqual({ kind: 'taken' });
    if (renewed.kind !== 'held') return;
    expect((await store.leases(['acc-1', 'acc-2'])).get('acc-1')).toEqual({
      holder: 'r1',
      expiresAtMs: expect.any(Number),
      revision: renewed.revision,
    });

    await store.release('acc-1', first.revision); // stale: not ours to delete any more, nothing happens
    expect((await store.leases(['acc-1'])).has('acc-1')).toBe(true);
    await store.release('acc-1', renewed.revision);
    expect((await store.leases(['acc-1'])).size).toBe(0);
    expect((await store.write('acc-1', null, { holder: 'r2', expiresAtMs: soon() })).kind).toBe('held');
  });

  it('an unreadable value reads as a lease expired long ago (taken over by compare-and-set, not stuck)', async () => {
    const kv = await new Kvm(bus.js).open(streamLeaseBucket(testNamespace()));
    const revision = await kv.put('accounts.acc-3', 'not json');
    expect((await store.leases(['acc-3'])).get('acc-3')).toEqual({ holder: '', expiresAtMs: 0, revision });
  });

  it('heartbeats list the replicas until they leave', async () => {
    await store.heartbeat('r1', soon());
    await store.heartbeat('r2', soon());
    expect((await store.replicas()).map((r) => r.replicaId).sort()).toEqual(['r1', 'r2']);
    await store.leave('r1');
    expect((await store.replicas()).map((r) => r.replicaId)).toEqual(['r2']);
  });

  it('reopened with a longer lease time, the existing bucket keeps leases twice as long', async () => {
    await StreamLeaseStore.open(bus, 3000);
    const kv = await new Kvm(bus.js).open(streamLeaseBucket(testNamespace()));
    expect((await kv.status()).ttl).toBe(6000);
  });
});
