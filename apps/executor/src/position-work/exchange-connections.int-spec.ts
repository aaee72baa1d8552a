import net from 'node:net';
import { BybitClientFactory } from '@legwork/exchange';
import { startTestStack, TestStack } from '@legwork/devstack';
import { createRegistry } from '@legwork/observability';

// Account clients are made per unit of work (or, in the executor, kept while the account trades), but their requests
// share the factory's keep-alive connections: against Bybit every new connection is a TCP and TLS
// handshake before a basket's first request. Counted at a TCP relay in front of the simulator.
describe('exchange clients share one connection pool', () => {
  let t: TestStack;
  let relay: net.Server;
  let connections = 0;
  let relayUrl = '';

  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway'] });
    const sim = new URL(t.stack.simUrl);
    relay = net.createServer((client) => {
      connections += 1;
      const upstream = net.connect(Number(sim.port), sim.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    relayUrl = `http://127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    relay?.close();
    await t?.stop();
  });

  it("one account's units of work after another, and another account's, open no connection of their own", async () => {
    const factory = new BybitClientFactory({ env: 'sim', simUrl: relayUrl, requestTimeoutMs: 5000 }, createRegistry('test'));
    const [alice, bob] = [await t.newUser({ balanceUsdt: '2500' }), await t.newUser({ balanceUsdt: '700' })];
    const balanceOf = async (user: typeof alice) =>
      (await factory.connect({ accountId: user.accountId, apiKey: user.apiKey, apiSecret: user.apiSecret })).availableBalance();
    const first = await balanceOf(alice); // loads the markets (over connections of their own) first
    const afterMarkets = connections;
    const later = [await balanceOf(alice), await balanceOf(bob)];
    // Each client still signs with its own key: each account sees its own wallet.
    expect([first, ...later].map(Number)).toEqual([2500, 2500, 700]);
    expect(connections).toBe(afterMarkets); // one new connection per client before
  });
});
