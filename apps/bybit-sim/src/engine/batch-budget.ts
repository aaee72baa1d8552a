// The per-account rate budget of /v5/order/create-batch (docs/v5/rate-limit/rate-limit.mdx,
// "Instructions for batch endpoints", category=linear): the batch endpoint has its own bucket,
// separate from /v5/order/create; it is charged per ORDER, not per request ("Number of
// consumption = number of requests * number of orders included"); the window is a rolling second
// per UID; "if part of the last batch of orders requested within 1s exceeds the limit, the part
// that exceeds the limit will fail, and the part that does not exceed the limit will succeed".
// Also the request's size limit: at most 20 orders for linear since the docs commit "20 batch
// orders" (2025-02-20) — the same page's "1-10 orders/request" is older text, so both are settable.
// Invariant: at most `ordersPerSecond` units are held in any rolling second of an account.
import { AccountSettings } from './account-settings';

/** The batch limits of an account. */
export interface BatchLimitSetting {
  /** Units (orders) per rolling second. */
  readonly ordersPerSecond: number;
  /** Orders one request may carry; more refuses the whole request. */
  readonly maxOrdersPerRequest: number;
}

/** Bybit's defaults for linear (rate-limit.mdx trade table: create-batch 10/s; batch-place.mdx: 20 orders). */
export const BYBIT_LINEAR_BATCH_LIMITS: BatchLimitSetting = { ordersPerSecond: 10, maxOrdersPerRequest: 20 };

/** The rolling window the budget counts in (rate-limit.mdx: "rolling time window per second per UID"). */
export const BATCH_WINDOW_MS = 1000;

/** Upper bounds accepted for the settings (Bybit's PRO tiers go to 1200/s). */
export const MAX_BATCH_ORDERS_PER_SECOND = 100_000;
export const MAX_BATCH_ORDERS_PER_REQUEST = 100;

/** Why a batch limit setting is refused (the control API answers 400, startBybitSim throws). */
export class BatchLimitSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchLimitSettingError';
  }
}

/** @throws BatchLimitSettingError unless both are integers ≥ 1 and within the bounds */
export function checkBatchLimits(setting: BatchLimitSetting): BatchLimitSetting {
  const { ordersPerSecond, maxOrdersPerRequest } = setting;
  if (!Number.isSafeInteger(ordersPerSecond) || ordersPerSecond < 1 || ordersPerSecond > MAX_BATCH_ORDERS_PER_SECOND)
    throw new BatchLimitSettingError(`ordersPerSecond must be an integer in [1, ${MAX_BATCH_ORDERS_PER_SECOND}], got ${ordersPerSecond}`);
  if (!Number.isSafeInteger(maxOrdersPerRequest) || maxOrdersPerRequest < 1 || maxOrdersPerRequest > MAX_BATCH_ORDERS_PER_REQUEST)
    throw new BatchLimitSettingError(
      `maxOrdersPerRequest must be an integer in [1, ${MAX_BATCH_ORDERS_PER_REQUEST}], got ${maxOrdersPerRequest}`,
    );
  return { ordersPerSecond, maxOrdersPerRequest };
}

/** What the X-Bapi-Limit* headers of a batch answer say (rate-limit.mdx "response_headers"). */
export interface BudgetStatus {
  /** X-Bapi-Limit: units per second. */
  readonly limit: number;
  /** X-Bapi-Limit-Status: units left now. */
  readonly remaining: number;
  /** X-Bapi-Limit-Reset-Timestamp: when a unit frees up if none is left, else now (ms). */
  readonly resetTimestamp: number;
}

/** Batch limits (global and per account) and the units each account used in the rolling second. */
export class BatchBudget {
  private readonly settings: AccountSettings<BatchLimitSetting>;
  /** Times (ms) of the units used, oldest first, per account identity key. */
  private readonly used = new Map<string, number[]>();

  /** @throws BatchLimitSettingError for an invalid initial setting */
  constructor(initial: BatchLimitSetting = BYBIT_LINEAR_BATCH_LIMITS) {
    this.settings = new AccountSettings(checkBatchLimits(initial));
  }

  /** The limits of an account (its own, else the global ones); the global ones without an account. */
  limits(apiKey: string | undefined): BatchLimitSetting {
    return this.settings.forAccount(apiKey);
  }

  /**
   * Sets one account's limits, or (no apiKey) the global ones, dropping every per-account setting.
   *
   * @throws BatchLimitSettingError for an invalid setting
   */
  set(setting: BatchLimitSetting, apiKey?: string): void {
    this.settings.set(checkBatchLimits(setting), apiKey);
  }

  /**
   * Takes up to `wanted` units at `now`.
   *
   * @returns how many were granted (the first that many orders of the request go ahead)
   */
  take(apiKey: string, wanted: number, now: number): number {
    const inWindow = this.inWindow(apiKey, now);
    const granted = Math.max(0, Math.min(wanted, this.limits(apiKey).ordersPerSecond - inWindow.length));
    for (let unit = 0; unit < granted; unit += 1) inWindow.push(now);
    this.used.set(apiKey, inWindow);
    return granted;
  }

  /** The account's budget at `now`, as the X-Bapi-Limit* headers report it. */
  status(apiKey: string, now: number): BudgetStatus {
    const limit = this.limits(apiKey).ordersPerSecond;
    const inWindow = this.inWindow(apiKey, now);
    const remaining = Math.max(0, limit - inWindow.length);
    const oldest = inWindow[inWindow.length - limit];
    return { limit, remaining, resetTimestamp: remaining > 0 || oldest === undefined ? now : oldest + BATCH_WINDOW_MS };
  }

  /** Back to the initial global limits, no per-account ones, nothing used. */
  reset(): void {
    this.settings.reset();
    this.used.clear();
  }

  /** For /__sim/state and the control API's answers. */
  snapshot(): { global: BatchLimitSetting; perAccount: Record<string, BatchLimitSetting> } {
    return this.settings.snapshot();
  }

  private inWindow(apiKey: string, now: number): number[] {
    return (this.used.get(apiKey) ?? []).filter((time) => time > now - BATCH_WINDOW_MS);
  }
}
