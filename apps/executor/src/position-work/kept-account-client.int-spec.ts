import { randomBytes } from 'node:crypto';
import { startTestStack, TestStack, TEST_ENCRYPTION_KEYS } from '@legwork/devstack';
import { IdentityRepository, parseEncryptionKeys, SecretCipher } from '@legwork/persistence';

// The executor keeps an account's exchange client between baskets (KeptAccountPorts), for the key
// it was made with only: after `account:rotate-key` (the old key revoked on the exchange at once),
// the account's next basket is placed with the new key — never with the kept client's old one.
describe("an account's kept exchange client after its API key is rotated", () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('places the next basket with the new key; the old, revoked key sends nothing more', async () => {
    const user = await t.newUser({ balanceUsdt: '100000' });
    const open = async () => {
      const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
      return user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED'], 60_000);
    };
    expect((await open())['status']).toBe('ACTIVE'); // the executor now keeps a client for the first key
    const ordersWithOldKey = (await t.sim.orderCreates(user.apiKey)).length;

    const rotated = { apiKey: `rotated-${randomBytes(6).toString('hex')}`, apiSecret: randomBytes(18).toString('hex') };
    await t.sim.addKey({ apiKey: user.apiKey, newApiKey: rotated.apiKey, newApiSecret: rotated.apiSecret, revokeOthers: true });
    const identity = new IdentityRepository(t.db, new SecretCipher(parseEncryptionKeys(TEST_ENCRYPTION_KEYS).active));
    await identity.replaceApiKey(user.accountId, rotated.apiKey, rotated.apiSecret);

    const second = await open();
    expect(second['status']).toBe('ACTIVE');
    expect((await t.sim.orderCreates(rotated.apiKey)).filter((c) => c.retCode === 0)).toHaveLength(5);
    expect(await t.sim.orderCreates(user.apiKey)).toHaveLength(ordersWithOldKey);
  });
});
