import type { TestStack } from './test-stack';

/**
 * The story both executor-killed specs tell: a fresh user opens a 1,000 USDT long while an executor
 * armed to SIGKILL itself at `step` (a failpoint) takes it; once it died, a replacement executor
 * takes the redelivered command. `check` runs with the user, the settled position (ACTIVE or
 * FAILED, waited up to 60 s) and the signal the doomed executor died of, while the replacement
 * still runs; it is stopped afterwards.
 */
export async function openThroughKilledExecutor(
  t: TestStack,
  step: string,
  check: (user: Awaited<ReturnType<TestStack['newUser']>>, position: Record<string, unknown>, exitSignal: string | null) => Promise<void>,
): Promise<void> {
  const user = await t.newUser();
  const doomed = await t.stack.startService('executor', { EXECUTOR_FAILPOINTS: step });
  const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
  const exit = await doomed.waitForExit();
  const replacement = await t.stack.startService('executor');
  try {
    await check(user, await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED'], 60_000), exit.signal ?? null);
  } finally {
    await replacement.stop();
  }
}
