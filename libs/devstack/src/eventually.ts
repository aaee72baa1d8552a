// Polling for asynchronous outcomes in tests (a consumer processed a message, a row changed
// status), instead of fixed sleeps that are either flaky or slow.

export interface EventuallyOptions {
  /** Named in the timeout error: what was being waited for, e.g. 'position p1 to be OPEN'. */
  what: string;
  /** Give up after this many ms; default 10000. */
  timeoutMs?: number;
  /** Pause between attempts, in ms; default 100. */
  intervalMs?: number;
}

/** Thrown by eventually() on timeout; `lastError` is the last exception `fn` threw, if any. */
export class EventuallyTimeoutError extends Error {
  constructor(
    message: string,
    readonly lastError: unknown,
  ) {
    super(message);
    this.name = 'EventuallyTimeoutError';
  }
}

/**
 * Calls `fn` until it returns something other than undefined, null or false, and resolves with
 * that value. A throw from `fn` counts as "not yet" (the last one is reported on timeout). The
 * first attempt is immediate; an attempt in progress at the deadline is awaited, not abandoned.
 *
 * @throws EventuallyTimeoutError "timed out after <timeoutMs> ms waiting for <what> (<attempts>
 *   attempts; last result/error …)".
 */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: EventuallyOptions,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  let lastResult: unknown;
  for (;;) {
    attempts++;
    try {
      const result = await fn();
      if (result !== undefined && result !== null && result !== false) return result;
      lastResult = result;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remaining)));
  }
  const last =
    lastError !== undefined
      ? `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
      : `last result: ${String(lastResult)}`;
  throw new EventuallyTimeoutError(
    `timed out after ${timeoutMs} ms waiting for ${options.what} (${attempts} attempts; ${last})`,
    lastError,
  );
}
