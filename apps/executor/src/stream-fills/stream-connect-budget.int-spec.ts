import { eventually, startTestStack, TestStack } from '@legwork/devstack';

// Bybit allows 500 new private-stream connections per 5-minute window per IP (a budget, not a
// pace: docs/v5/rate-limit/rate-limit.mdx). A freshly started executor trading for several accounts opens
// their streams at once within its share of it; past the share, an account waits for the next
// window and its legs are confirmed over REST meanwhile. (Spaced evenly, as before, the second
// account at a budget of 4 waited 75 s; at the default 250, the tenth waited 12 s.)
const BUDGET_PER_5MIN = 4; // windows of 2: any 5 minutes hold at most the budget

describe('private streams opened within the connection budget', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ env: { EXECUTOR_STREAM_FILLS: 'true', EXECUTOR_STREAM_CONNECTS_PER_5MIN: String(BUDGET_PER_5MIN) } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("opens the first accounts' streams at once and holds the next one to the next window; every basket ends ACTIVE", async () => {
    const first = await t.newUser({ balanceUsdt: '100000' });
    const second = await t.newUser({ balanceUsdt: '100000' });
    const third = await t.newUser({ balanceUsdt: '100000' });
    const open = async (user: typeof first) => {
      const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
      return user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED'], 60_000);
    };
    for (const user of [first, second]) {
      expect((await open(user))['status']).toBe('ACTIVE');
      await eventually(async () => ((await t.sim.streamConnections(user.apiKey)).length === 1 ? true : undefined), {
        what: "the account's stream connected within the budget",
        timeoutMs: 10_000,
      });
    }
    // Past the window's two connections: the third account's stream waits, its basket does not.
    expect((await open(third))['status']).toBe('ACTIVE');
    const metrics = await (await fetch(`${t.stack.urls.executor}/metrics`)).text();
    expect(metrics).toMatch(/exchange_streams_followed\{[^}]*\} 3\b/);
    expect(metrics).toMatch(/exchange_streams_connected\{[^}]*\} 2\b/);
    expect(await t.sim.streamConnections(third.apiKey)).toEqual([]);
  });
});
