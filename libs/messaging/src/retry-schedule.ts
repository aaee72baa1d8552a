/** What to do with a message whose work failed transiently. */
export type RetryDecision = { kind: 'redeliver'; delayMs: number } | { kind: 'exhausted' };

/**
 * The retry schedule applied to a count of transient failures: after the n-th failure the message
 * is redelivered after `retryDelaysMs[n - 1]`; a failure past the last delay exhausts the retries.
 *
 * `failureCount` must count failures of the work, not deliveries: a redelivery after a crash or an
 * ack timeout is not a failure and must neither use up a retry nor shift the schedule to a longer
 * delay (issue 11). With delays `[500, 1000, 2000]`: failures 1, 2, 3 → 500, 1000, 2000 ms; 4 → exhausted.
 * @param retryDelaysMs delays in milliseconds, in order
 * @param failureCount transient failures so far, this one included (≥ 1)
 * @throws RangeError when `failureCount` is not a positive integer (a caller's bug, never a give-up)
 */
export function retryDecision(retryDelaysMs: readonly number[], failureCount: number): RetryDecision {
  if (!Number.isInteger(failureCount) || failureCount < 1)
    throw new RangeError(`failureCount must be a positive integer, got ${failureCount}`);
  const delayMs = retryDelaysMs[failureCount - 1];
  return delayMs === undefined ? { kind: 'exhausted' } : { kind: 'redeliver', delayMs };
}
