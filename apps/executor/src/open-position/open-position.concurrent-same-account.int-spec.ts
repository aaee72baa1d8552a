import { startTestStack, TestStack } from '@legwork/devstack';

// Several baskets of one account in the same symbols at once: each leg is verified by the
// position size moving by exactly its quantity, so legs of one account in one symbol are sent
// and verified one at a time. Found by the soak with faults: interleaved legs never saw "their"
// size change and each waited out the verification timeout as "filled, not visible".
describe('baskets of one account opened at the same time', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ env: { EXECUTOR_CONCURRENCY: '4' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('every leg is seen in the position (no leg left "filled, not visible")', async () => {
    const user = await t.newUser({ balanceUsdt: '100000' });
    const accepted = await Promise.all(
      [1, 2, 3, 4].map(() => user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' })),
    );
    for (const { body } of accepted)
      expect((await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']))['status']).toBe('ACTIVE');

    const metrics = await (await fetch(`${t.stack.urls.executor}/metrics`)).text();
    const legs = (outcome: string) =>
      Number(
        metrics
          .split('\n')
          .find((line) => line.startsWith('legs_total{') && line.includes('purpose="open"') && line.includes(`outcome="${outcome}"`))
          ?.split(' ')[1] ?? 0,
      );
    expect({ visible: legs('filled_visible'), notVisible: legs('filled_not_visible') }).toEqual({ visible: 20, notVisible: 0 });
  });
});
