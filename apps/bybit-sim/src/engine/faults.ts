// Injected faults. A fault set is either global (every account) or one account's override; the
// set in force for an account is its override if any, else the global one. Posting a set
// REPLACES the one it targets; one-shot effects are consumed in list order.
// The field and effect names are a public contract (other tooling posts them): keep them.

/** Effects of an orderCreate fault on the next matching POST /v5/order/create. */
export const ORDER_CREATE_EFFECTS = [
  'http500',
  'http503',
  'rateLimit',
  'insufficientMargin',
  'reject',
  'timeoutBeforeAccept',
  'timeoutAfterAccept',
] as const;
export type OrderCreateEffect = (typeof ORDER_CREATE_EFFECTS)[number];

/**
 * Effects of an orderCreateBatch fault on the next matching POST /v5/order/create-batch: the
 * whole request's answer (rateLimit: retCode 10006 for the request, nothing placed); the per-order
 * refusals are left to the orders' own rules.
 */
export const ORDER_CREATE_BATCH_EFFECTS = ['http500', 'http503', 'rateLimit', 'timeoutBeforeAccept', 'timeoutAfterAccept'] as const;
export type OrderCreateBatchEffect = (typeof ORDER_CREATE_BATCH_EFFECTS)[number];

/** Effects of a positionList fault on the next GET /v5/position/list. */
export const POSITION_LIST_EFFECTS = ['http500', 'timeout'] as const;
export type PositionListEffect = (typeof POSITION_LIST_EFFECTS)[number];

/** Default time a hanging request is held open when the client does not disconnect first. */
export const DEFAULT_HANG_MS = 30_000;

export interface OrderCreateFault {
  readonly effect: OrderCreateEffect;
  /** Remaining uses. */
  count: number;
  /** Only orders for this symbol match; any symbol when absent. */
  readonly symbol?: string;
  /** For the timeout effects: how long to hang (ms). */
  readonly hangMs?: number;
}

export interface PositionListFault {
  readonly effect: PositionListEffect;
  count: number;
  readonly hangMs?: number;
}

/** One set of faults, as posted to /__sim/faults (every field optional). */
export interface FaultSet {
  positionVisibilityLagMs?: number;
  orderVisibilityLagMs?: number;
  executionVisibilityLagMs?: number;
  orderCreate?: OrderCreateFault[];
  /** Like orderCreate, for create-batch: a fault with a symbol matches a request holding an order of it. */
  orderCreateBatch?: OrderCreateFault[];
  positionList?: PositionListFault[];
  closeAfterFillMs?: number;
}

/** Read-time lags in force for an account (0 = none). */
export interface VisibilityLags {
  readonly positionMs: number;
  readonly orderMs: number;
  readonly executionMs: number;
}

/** Global and per-account fault sets, with consumption of one-shot effects. */
export class FaultBook {
  private global: FaultSet = {};
  private readonly perAccount = new Map<string, FaultSet>();

  /**
   * Replaces faults. Without apiKey the set becomes the global one and per-account overrides
   * are dropped (the post is "for all"); with apiKey it replaces that account's override.
   */
  replace(set: FaultSet, apiKey?: string): void {
    if (apiKey === undefined) {
      this.global = set;
      this.perAccount.clear();
    } else {
      this.perAccount.set(apiKey, set);
    }
  }

  /** Clears every fault, or only one account's override. */
  clear(apiKey?: string): void {
    if (apiKey === undefined) {
      this.global = {};
      this.perAccount.clear();
    } else {
      this.perAccount.delete(apiKey);
    }
  }

  /** The set in force for an account. */
  forAccount(apiKey: string): FaultSet {
    return this.perAccount.get(apiKey) ?? this.global;
  }

  lags(apiKey: string): VisibilityLags {
    const set = this.forAccount(apiKey);
    return {
      positionMs: set.positionVisibilityLagMs ?? 0,
      orderMs: set.orderVisibilityLagMs ?? 0,
      executionMs: set.executionVisibilityLagMs ?? 0,
    };
  }

  /** @returns ms after a fill at which the exchange force-closes the position, or undefined */
  closeAfterFillMs(apiKey: string): number | undefined {
    return this.forAccount(apiKey).closeAfterFillMs;
  }

  /** Takes one use of the first orderCreate fault matching the symbol, if any. */
  takeOrderCreate(apiKey: string, symbol: string): OrderCreateFault | undefined {
    const list = this.forAccount(apiKey).orderCreate;
    if (list === undefined) return undefined;
    const index = list.findIndex((fault) => fault.count > 0 && (fault.symbol === undefined || fault.symbol === symbol));
    return index < 0 ? undefined : consume(list, index);
  }

  /** Takes one use of the first orderCreateBatch fault matching one of the request's symbols, if any. */
  takeOrderCreateBatch(apiKey: string, symbols: readonly string[]): OrderCreateFault | undefined {
    const list = this.forAccount(apiKey).orderCreateBatch;
    if (list === undefined) return undefined;
    const index = list.findIndex((fault) => fault.count > 0 && (fault.symbol === undefined || symbols.includes(fault.symbol)));
    return index < 0 ? undefined : consume(list, index);
  }

  /** Takes one use of the first positionList fault, if any. */
  takePositionList(apiKey: string): PositionListFault | undefined {
    const list = this.forAccount(apiKey).positionList;
    if (list === undefined) return undefined;
    const index = list.findIndex((fault) => fault.count > 0);
    return index < 0 ? undefined : consume(list, index);
  }

  /** Snapshot for /__sim/state. */
  snapshot(): { global: FaultSet; perAccount: Record<string, FaultSet> } {
    return {
      global: structuredClone(this.global),
      perAccount: Object.fromEntries([...this.perAccount].map(([key, set]) => [key, structuredClone(set)])),
    };
  }
}

function consume<T extends { count: number }>(list: T[], index: number): T {
  const fault = list[index] as T;
  fault.count -= 1;
  if (fault.count <= 0) list.splice(index, 1);
  return { ...fault };
}
