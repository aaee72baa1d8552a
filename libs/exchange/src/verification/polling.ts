import type { VerificationSettings, VerifierClock } from './fill-verifier';

/**
 * Calls `attempt` with exponential backoff (`initialDelayMs`, doubling up to `maxDelayMs`) until
 * it returns a value or the next poll would pass `timeoutMs`. A thrown read error is no evidence
 * either way: it is kept (the last one) and polling goes on.
 * @returns the value, or null at the timeout, with the last read error ('' when none)
 */
export async function pollWithBackoff<T>(
  settings: VerificationSettings,
  clock: VerifierClock,
  attempt: () => Promise<T | null>,
): Promise<{ value: T | null; lastReadError: string }> {
  const start = clock.now();
  let delay = settings.initialDelayMs;
  let lastReadError = '';
  for (;;) {
    try {
      const value = await attempt();
      if (value !== null) return { value, lastReadError };
    } catch (error) {
      lastReadError = (error as Error).message;
    }
    if (clock.now() - start + delay > settings.timeoutMs) return { value: null, lastReadError };
    await clock.sleep(delay);
    delay = Math.min(delay * 2, settings.maxDelayMs);
  }
}
