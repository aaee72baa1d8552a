// Simulated network latency between a client and the exchange: a round-trip time with jitter,
// set globally and per account. Every /v5 request waits the request leg (half a drawn round
// trip) before the exchange reads its clock and the response leg (the other half) before the
// answer leaves, so an execution's execTime lies half a round trip after the client sent the
// order. A message the exchange pushes on a stream travels one leg ({@link LatencyBook.drawOneWayMs}).
// Draws come from their own seeded generator: the same seed and the same sequence of requests
// give the same delays, and latency never perturbs the price walk or the books.
// Rule shared with faults and fill modes: a global setting replaces every per-account one.
import { AccountSettings } from './account-settings';
import { SeededRandom } from './random';

/** A round trip and its jitter, in whole milliseconds; each draw is uniform in [rtt − jitter, rtt + jitter]. */
export interface LatencySetting {
  readonly roundTripMs: number;
  /** ≤ roundTripMs, so a draw is never negative. */
  readonly jitterMs: number;
}

/** No delay at all (the default). */
export const NO_LATENCY: LatencySetting = { roundTripMs: 0, jitterMs: 0 };

/** Largest round trip accepted (ms): one minute, far beyond anything a test needs. */
export const MAX_ROUND_TRIP_MS = 60_000;

/** The two legs of one drawn round trip (ms): client → exchange, exchange → client. */
export interface LatencyLegs {
  readonly requestMs: number;
  readonly responseMs: number;
}

/** Why a latency setting is refused (the control API answers 400, startBybitSim throws). */
export class LatencySettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LatencySettingError';
  }
}

/**
 * Checks a setting: integers, 0 ≤ jitterMs ≤ roundTripMs ≤ {@link MAX_ROUND_TRIP_MS}.
 *
 * @throws LatencySettingError naming the bound broken
 */
export function checkLatencySetting(setting: LatencySetting): LatencySetting {
  const { roundTripMs, jitterMs } = setting;
  if (!Number.isSafeInteger(roundTripMs) || roundTripMs < 0 || roundTripMs > MAX_ROUND_TRIP_MS)
    throw new LatencySettingError(`roundTripMs must be an integer in [0, ${MAX_ROUND_TRIP_MS}], got ${roundTripMs}`);
  if (!Number.isSafeInteger(jitterMs) || jitterMs < 0 || jitterMs > roundTripMs)
    throw new LatencySettingError(`jitterMs must be an integer in [0, roundTripMs = ${roundTripMs}], got ${jitterMs}`);
  return { roundTripMs, jitterMs };
}

/** Latency settings in force and the seeded draws. */
export class LatencyBook {
  private readonly settings: AccountSettings<LatencySetting>;
  private random: SeededRandom;

  /**
   * @param seed the simulator's seed (the generator is derived from it, apart from the price walk's)
   * @param initial the global setting at start and after {@link reset}
   * @throws LatencySettingError for an invalid initial setting
   */
  constructor(
    private readonly seed: number,
    initial: LatencySetting = NO_LATENCY,
  ) {
    this.settings = new AccountSettings(checkLatencySetting(initial));
    this.random = new SeededRandom(latencySeed(seed));
  }

  /**
   * Sets the latency of one account (by its identity apiKey), or (no apiKey) the global one,
   * dropping every per-account setting.
   *
   * @throws LatencySettingError for an invalid setting
   */
  set(setting: LatencySetting, apiKey?: string): void {
    this.settings.set(checkLatencySetting(setting), apiKey);
  }

  /** Drops one account's setting (it follows the global one again), or (no apiKey) every setting: no latency. */
  clear(apiKey?: string): void {
    if (apiKey === undefined) this.settings.set(NO_LATENCY);
    else this.settings.clearAccount(apiKey);
  }

  /** The setting in force for an account (its own, else the global one); the global one without an account. */
  forAccount(apiKey: string | undefined): LatencySetting {
    return this.settings.forAccount(apiKey);
  }

  /** One round trip for the account (ms), uniform in [rtt − jitter, rtt + jitter]. */
  drawRoundTripMs(apiKey: string | undefined): number {
    const { roundTripMs, jitterMs } = this.forAccount(apiKey);
    if (jitterMs === 0) return roundTripMs;
    return roundTripMs - jitterMs + this.random.nextInt(2 * jitterMs + 1);
  }

  /** One round trip split into its legs: the request leg is the lower half. */
  drawLegs(apiKey: string | undefined): LatencyLegs {
    const roundTripMs = this.drawRoundTripMs(apiKey);
    const requestMs = Math.floor(roundTripMs / 2);
    return { requestMs, responseMs: roundTripMs - requestMs };
  }

  /** The delay of one message the exchange pushes to the account (a stream message): half a round trip. */
  drawOneWayMs(apiKey: string | undefined): number {
    return this.drawLegs(apiKey).responseMs;
  }

  /** Back to the initial global setting, no per-account ones, the generator restarted. */
  reset(): void {
    this.settings.reset();
    this.random = new SeededRandom(latencySeed(this.seed));
  }

  /** For /__sim/state and the control API's answers. */
  snapshot(): { global: LatencySetting; perAccount: Record<string, LatencySetting> } {
    return this.settings.snapshot();
  }
}

/** Waits `ms` milliseconds of real time (a timer); 0 or less resolves at once, with no timer. */
export function waitMs(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits the one-way delay of a message the exchange pushes to the account (a private stream
 * message, a batch of them): `await waitOneWay(exchange.latency, apiKey)` before sending it.
 */
export function waitOneWay(latency: LatencyBook, apiKey: string | undefined): Promise<void> {
  return waitMs(latency.drawOneWayMs(apiKey));
}

function latencySeed(seed: number): number {
  return (seed ^ 0x85ebca6b) >>> 0;
}
