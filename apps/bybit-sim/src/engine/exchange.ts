// The simulated exchange: accounts, their orders, executions and positions, and the scheduled
// forced closes of the closeAfterFillMs fault. Pure of I/O: time comes in as `now` arguments,
// ids from an injected factory. Invariants: every operation first settles forced closes due at
// or before its `now`, so positions, snapshots and executions stay in time order; an account's
// position history gets one snapshot per fill, in fill order.
import { randomUUID } from 'node:crypto';
import { DERIVED_DP, Dec, ZERO } from './decimal';
import { FaultBook } from './faults';
import { InstrumentCatalogue } from './instruments';
import { MarketOrderRequest, MatchResult, TAKER_FEE_RATE, matchMarketOrder } from './matching';
import { applyFill, initialMargin, unrealisedPnl } from './position-math';
import { PriceBook } from './prices';
import { AccountState, ApiKeyPermissions, CreateType, ExecType, Execution, Order, PositionState, Side } from './types';
import { visibleExecutions, visibleOrders, visiblePosition } from './visibility';

/** Input of {@link Exchange.createAccount}. */
export interface NewAccount {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Starting USDT wallet balance. */
  readonly balanceUsdt: Dec;
  readonly canWithdraw?: boolean;
  readonly permissions?: ApiKeyPermissions;
}

/** Thrown when creating an account whose API key exists (control API answers 409). */
export class AccountExistsError extends Error {
  constructor(apiKey: string) {
    super(`account with apiKey ${apiKey} exists`);
    this.name = 'AccountExistsError';
  }
}

/** USDT wallet figures of an account (docs/v5/account/wallet-balance.mdx semantics at 1x). */
export interface WalletView {
  readonly walletBalance: Dec;
  /** Σ |size| × entry: initial margin of all positions at 1x. */
  readonly positionIM: Dec;
  /** 0.5 % of position value: a flat tier-1 maintenance margin. */
  readonly positionMM: Dec;
  readonly unrealisedPnl: Dec;
  readonly cumRealisedPnl: Dec;
  /** walletBalance − positionIM: what a new order may use. */
  readonly availableBalance: Dec;
  readonly equity: Dec;
}

/** Maintenance margin rate used for display only (Bybit's lowest risk tier for majors). */
export const MAINTENANCE_MARGIN_RATE = new Dec('0.005');

export interface ExchangeOptions {
  readonly catalogue: InstrumentCatalogue;
  readonly prices: PriceBook;
  readonly faults: FaultBook;
  readonly slippageBps: Dec;
  readonly newId?: () => string;
}

interface ScheduledClose {
  readonly apiKey: string;
  readonly symbol: string;
  readonly dueTime: number;
}

/** State and rules of the simulated Bybit USDT-perpetual venue. */
export class Exchange {
  private readonly accountsByKey = new Map<string, AccountState>();
  private scheduledCloses: ScheduledClose[] = [];
  private seq = 0;
  private nextUserId = 100_001;
  private readonly newId: () => string;

  constructor(private readonly options: ExchangeOptions) {
    this.newId = options.newId ?? randomUUID;
  }

  get catalogue(): InstrumentCatalogue {
    return this.options.catalogue;
  }

  get prices(): PriceBook {
    return this.options.prices;
  }

  get faults(): FaultBook {
    return this.options.faults;
  }

  /** @throws AccountExistsError when the key is taken */
  createAccount(input: NewAccount, now: number): AccountState {
    if (this.accountsByKey.has(input.apiKey)) throw new AccountExistsError(input.apiKey);
    const account: AccountState = {
      apiKey: input.apiKey,
      apiSecret: input.apiSecret,
      walletBalance: input.balanceUsdt,
      canWithdraw: input.canWithdraw ?? false,
      permissions: input.permissions,
      createdTime: now,
      userId: this.nextUserId++,
      usedOrderLinkIds: new Set(),
      orders: [],
      executions: [],
      positions: new Map(),
      positionHistory: new Map(),
    };
    this.accountsByKey.set(input.apiKey, account);
    return account;
  }

  account(apiKey: string): AccountState | undefined {
    return this.accountsByKey.get(apiKey);
  }

  accounts(): AccountState[] {
    return [...this.accountsByKey.values()];
  }

  /** Drops accounts, orders, positions, faults and pins; prices restart from the defaults. */
  reset(): void {
    this.accountsByKey.clear();
    this.scheduledCloses = [];
    this.options.faults.clear();
    this.options.prices.reset();
  }

  /**
   * Places and fills a market order for the account (docs/v5/order/create-order.mdx).
   *
   * @throws BybitError for every refusal (see matchMarketOrder); nothing is recorded then
   * @throws Error when the account does not exist (callers authenticate first)
   */
  placeMarketOrder(apiKey: string, request: MarketOrderRequest, now: number): Order {
    this.settle(now);
    const account = this.requireAccount(apiKey);
    const match = matchMarketOrder(request, {
      catalogue: this.catalogue,
      markPrice: (symbol) => this.prices.mark(symbol),
      slippageBps: this.options.slippageBps,
      walletBalance: account.walletBalance,
      positions: account.positions,
      usedOrderLinkIds: account.usedOrderLinkIds,
      now,
      seq: this.seq + 1,
    });
    const order = this.commit(account, request.side, request.orderLinkId, request.reduceOnly, request.closeOnTrigger, match, 'Trade', 'CreateByUser', now);
    const closeAfterFillMs = this.faults.closeAfterFillMs(apiKey);
    if (closeAfterFillMs !== undefined && !match.outcome.next.size.isZero()) {
      this.scheduledCloses.push({ apiKey, symbol: request.symbol, dueTime: now + closeAfterFillMs });
    }
    return order;
  }

  /** Runs the forced closes due at or before `now`, in due-time order. */
  settle(now: number): void {
    const due = this.scheduledCloses.filter((close) => close.dueTime <= now).sort((a, b) => a.dueTime - b.dueTime);
    if (due.length === 0) return;
    this.scheduledCloses = this.scheduledCloses.filter((close) => close.dueTime > now);
    for (const close of due) this.forceClose(close);
  }

  /** Moves unpinned prices one random-walk step. */
  tick(now: number): void {
    this.settle(now);
    this.prices.tick();
  }

  /** Orders as the account's API sees them at `now` (order visibility lag applied). */
  visibleOrders(apiKey: string, now: number): Order[] {
    this.settle(now);
    return visibleOrders(this.requireAccount(apiKey).orders, now, this.faults.lags(apiKey).orderMs);
  }

  /** Executions as the account's API sees them at `now` (execution visibility lag applied). */
  visibleExecutions(apiKey: string, now: number): Execution[] {
    this.settle(now);
    return visibleExecutions(this.requireAccount(apiKey).executions, now, this.faults.lags(apiKey).executionMs);
  }

  /** A symbol's position as the account's API sees it at `now` (position visibility lag applied). */
  visiblePosition(apiKey: string, symbol: string, now: number): PositionState {
    this.settle(now);
    const account = this.requireAccount(apiKey);
    return visiblePosition(symbol, account.positionHistory.get(symbol) ?? [], now, this.faults.lags(apiKey).positionMs, account.createdTime);
  }

  /** Non-flat positions as the account's API sees them at `now`, in catalogue order. */
  visibleOpenPositions(apiKey: string, now: number): PositionState[] {
    return this.catalogue.symbols()
      .map((symbol) => this.visiblePosition(apiKey, symbol, now))
      .filter((position) => !position.size.isZero());
  }

  /** Wallet figures from the current (unlagged) state. */
  wallet(apiKey: string, now: number): WalletView {
    this.settle(now);
    const account = this.requireAccount(apiKey);
    let positionIM = ZERO;
    let positionMM = ZERO;
    let upl = ZERO;
    let cumRealisedPnl = ZERO;
    for (const position of account.positions.values()) {
      positionIM = positionIM.plus(initialMargin(position));
      positionMM = positionMM.plus(position.size.abs().mul(this.prices.mark(position.symbol)).mul(MAINTENANCE_MARGIN_RATE));
      upl = upl.plus(unrealisedPnl(position, this.prices.mark(position.symbol)));
      cumRealisedPnl = cumRealisedPnl.plus(position.cumRealisedPnl);
    }
    return {
      walletBalance: account.walletBalance,
      positionIM,
      positionMM,
      unrealisedPnl: upl,
      cumRealisedPnl,
      availableBalance: account.walletBalance.minus(positionIM),
      equity: account.walletBalance.plus(upl),
    };
  }

  private requireAccount(apiKey: string): AccountState {
    const account = this.accountsByKey.get(apiKey);
    if (account === undefined) throw new Error(`unknown account ${apiKey}`);
    return account;
  }

  private forceClose(close: ScheduledClose): void {
    const account = this.accountsByKey.get(close.apiKey);
    const position = account?.positions.get(close.symbol);
    if (account === undefined || position === undefined || position.size.isZero()) return;
    const instrument = this.catalogue.get(close.symbol);
    const side: Side = position.size.isPositive() ? 'Sell' : 'Buy';
    const qty = position.size.abs();
    const markPrice = this.prices.mark(close.symbol);
    const execValue = qty.mul(markPrice);
    const fee = execValue.mul(TAKER_FEE_RATE).toDecimalPlaces(DERIVED_DP);
    const outcome = applyFill(position, { symbol: close.symbol, side, qty, price: markPrice, fee, time: close.dueTime, seq: this.seq + 1 });
    const match: MatchResult = {
      instrument,
      qty,
      markPrice,
      fillPrice: markPrice,
      orderPrice: markPrice,
      execValue,
      fee,
      outcome,
      walletAfter: account.walletBalance.plus(outcome.realisedPnl).minus(fee),
    };
    this.commit(account, side, '', true, true, match, 'BustTrade', 'CreateByLiq', close.dueTime);
  }

  private commit(
    account: AccountState,
    side: Side,
    orderLinkId: string,
    reduceOnly: boolean,
    closeOnTrigger: boolean,
    match: MatchResult,
    execType: ExecType,
    createType: CreateType,
    now: number,
  ): Order {
    this.seq += 1;
    const symbol = match.instrument.symbol;
    const order: Order = {
      orderId: this.newId(),
      orderLinkId,
      symbol,
      side,
      qty: match.qty,
      price: match.orderPrice,
      orderStatus: 'Filled',
      cumExecQty: match.qty,
      cumExecValue: match.execValue,
      cumExecFee: match.fee,
      avgPrice: match.fillPrice,
      leavesQty: ZERO,
      reduceOnly,
      closeOnTrigger,
      createType,
      markPriceOnCreated: match.markPrice,
      createdTime: now,
      updatedTime: now,
      seq: this.seq,
    };
    const execution: Execution = {
      execId: this.newId(),
      orderId: order.orderId,
      orderLinkId,
      symbol,
      side,
      orderQty: match.qty,
      orderPrice: match.orderPrice,
      execPrice: match.fillPrice,
      execQty: match.qty,
      execValue: match.execValue,
      execFee: match.fee,
      feeRate: TAKER_FEE_RATE,
      execType,
      markPrice: match.markPrice,
      closedSize: match.outcome.closedSize,
      createType,
      execTime: now,
      seq: this.seq,
    };
    account.orders.push(order);
    account.executions.push(execution);
    if (orderLinkId !== '') account.usedOrderLinkIds.add(orderLinkId);
    account.walletBalance = match.walletAfter;
    const next = match.outcome.next;
    account.positions.set(symbol, next);
    const history = account.positionHistory.get(symbol) ?? [];
    history.push({ time: now, state: next });
    account.positionHistory.set(symbol, history);
    return order;
  }
}
