// The simulated exchange: accounts, their orders, executions and positions, their position modes
// and leverage, instrument statuses, and the scheduled forced closes of the closeAfterFillMs
// fault. Pure of I/O: time comes in as `now` arguments, ids from an injected factory.
// Invariants: every operation first settles forced closes due at or before its `now`, so
// positions, snapshots and executions stay in time order; an account's position history gets
// one snapshot per fill, in fill order (ledger.ts).
import { randomUUID } from 'node:crypto';
import { AccountBook, NewAccount } from './accounts';
import { DERIVED_DP, Dec, ZERO } from './decimal';
import { FaultBook } from './faults';
import { InstrumentCatalogue } from './instruments';
import { MAINTENANCE_MARGIN_RATE, checkLeverageMargin, checkLeverageRequest, leverageOf, totalInitialMargin } from './leverage';
import { recordFill } from './ledger';
import { MarketOrderRequest, MatchResult, TAKER_FEE_RATE, matchMarketOrder } from './matching';
import { applyFill, unrealisedPnl } from './position-math';
import { ModeSwitchScope, positionIdxsOf, symbolsToSwitch } from './position-modes';
import { PriceBook } from './prices';
import { AccountState, Execution, LeverageSetting, Order, PositionIdx, PositionMode, PositionState, Side, positionKey } from './types';
import { visibleExecutions, visibleOrders, visiblePosition } from './visibility';

export { AccountExistsError, UnknownAccountError } from './accounts';
export type { NewAccount } from './accounts';
export { MAINTENANCE_MARGIN_RATE } from './leverage';

/** USDT wallet figures of an account (docs/v5/account/wallet-balance.mdx semantics). */
export interface WalletView {
  readonly walletBalance: Dec;
  /** Σ |size| × entry / leverage: initial margin of all positions. */
  readonly positionIM: Dec;
  /** 0.5 % of position value: a flat tier-1 maintenance margin. */
  readonly positionMM: Dec;
  readonly unrealisedPnl: Dec;
  readonly cumRealisedPnl: Dec;
  /** walletBalance − positionIM: what a new order may use. */
  readonly availableBalance: Dec;
  readonly equity: Dec;
}

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
  readonly positionIdx: PositionIdx;
  readonly dueTime: number;
}

/** State and rules of the simulated Bybit USDT-perpetual venue. */
export class Exchange {
  readonly accounts: AccountBook;
  private readonly statusOverrides = new Map<string, string>();
  private scheduledCloses: ScheduledClose[] = [];
  private seq = 0;
  private readonly newId: () => string;

  constructor(private readonly options: ExchangeOptions) {
    this.newId = options.newId ?? randomUUID;
    this.accounts = new AccountBook(options.catalogue);
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
    return this.accounts.create(input, now);
  }

  /** The account holding the key (active or revoked), if any. */
  account(apiKey: string): AccountState | undefined {
    return this.accounts.find(apiKey);
  }

  /** Drops accounts, orders, positions, faults, pins and instrument statuses; prices restart from the defaults. */
  reset(): void {
    this.accounts.clear();
    this.scheduledCloses = [];
    this.statusOverrides.clear();
    this.options.faults.clear();
    this.options.prices.reset();
  }

  /** A symbol's instruments-info `status` in force ("Trading" unless set by the control API). */
  instrumentStatus(symbol: string): string {
    return this.statusOverrides.get(symbol) ?? this.catalogue.get(symbol).status;
  }

  /** Sets a listed symbol's status (docs/v5/market/instrument.mdx values); reset restores it. */
  setInstrumentStatus(symbol: string, status: string): void {
    this.catalogue.get(symbol);
    this.statusOverrides.set(symbol, status);
  }

  /** A symbol's position mode for the account. */
  positionMode(apiKey: string, symbol: string): PositionMode {
    return this.accounts.get(apiKey).positionModes.get(symbol) ?? 'OneWay';
  }

  /** A symbol's leverage for the account. */
  leverage(apiKey: string, symbol: string): LeverageSetting {
    return leverageSettingOf(this.accounts.get(apiKey), symbol);
  }

  /**
   * Places and fills a market order for the account (docs/v5/order/create-order.mdx).
   *
   * @throws BybitError for every refusal (see matchMarketOrder); nothing is recorded then
   * @throws UnknownAccountError when the account does not exist (callers authenticate first)
   */
  placeMarketOrder(apiKey: string, request: MarketOrderRequest, now: number): Order {
    this.settle(now);
    const account = this.accounts.get(apiKey);
    const match = matchMarketOrder(request, {
      catalogue: this.catalogue,
      markPrice: (symbol) => this.prices.mark(symbol),
      slippageBps: this.options.slippageBps,
      walletBalance: account.walletBalance,
      instrumentStatus: (symbol) => this.instrumentStatus(symbol),
      positionMode: (symbol) => account.positionModes.get(symbol) ?? 'OneWay',
      leverage: (position) => leverageOf(leverageSettingOf(account, position.symbol), position),
      positions: account.positions,
      usedOrderLinkIds: account.usedOrderLinkIds,
      now,
      seq: this.seq + 1,
    });
    const order = this.commit(account, match, request.side, request.orderLinkId, request.reduceOnly, request.closeOnTrigger, now, false);
    const closeAfterFillMs = this.faults.closeAfterFillMs(account.apiKey);
    if (closeAfterFillMs !== undefined && !match.outcome.next.size.isZero()) {
      this.scheduledCloses.push({ apiKey: account.apiKey, symbol: request.symbol, positionIdx: match.positionIdx, dueTime: now + closeAfterFillMs });
    }
    return order;
  }

  /**
   * Switches the position mode of a symbol or of every symbol of a settle coin
   * (docs/v5/position/position-mode.mdx). Judged on the true state, not a lagged view.
   *
   * @throws BybitError 10001, 110024, 110025 (see symbolsToSwitch)
   */
  switchPositionMode(apiKey: string, scope: ModeSwitchScope, mode: PositionMode, now: number): string[] {
    this.settle(now);
    const account = this.accounts.get(apiKey);
    const hasPosition = (symbol: string): boolean => [...account.positions.values()].some((position) => position.symbol === symbol && !position.size.isZero());
    const symbols = symbolsToSwitch(this.catalogue, scope, mode, (symbol) => account.positionModes.get(symbol) ?? 'OneWay', hasPosition);
    for (const symbol of symbols) account.positionModes.set(symbol, mode);
    return symbols;
  }

  /**
   * Sets a symbol's buy/sell leverage (docs/v5/position/leverage.mdx). Open positions are
   * re-margined at once: their initial margin follows the new leverage.
   *
   * @throws BybitError 10001 (unlisted symbol, leverageFilter, one-way buy ≠ sell), 110043
   *   (unchanged), 110044 (the wallet cannot cover the raised initial margin)
   */
  setLeverage(apiKey: string, symbol: string, requested: LeverageSetting, now: number): void {
    this.settle(now);
    const account = this.accounts.get(apiKey);
    const instrument = this.catalogue.get(symbol);
    checkLeverageRequest(instrument, account.positionModes.get(symbol) ?? 'OneWay', leverageSettingOf(account, symbol), requested);
    const positions = [...account.positions.values()];
    const marginBefore = totalInitialMargin(positions, (position) => leverageOf(leverageSettingOf(account, position.symbol), position));
    const marginAfter = totalInitialMargin(positions, (position) =>
      leverageOf(position.symbol === symbol ? requested : leverageSettingOf(account, position.symbol), position),
    );
    checkLeverageMargin(account.walletBalance, marginBefore, marginAfter);
    account.leverages.set(symbol, requested);
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
    const account = this.accounts.get(apiKey);
    return visibleOrders(account.orders, now, this.faults.lags(account.apiKey).orderMs);
  }

  /** Executions as the account's API sees them at `now` (execution visibility lag applied). */
  visibleExecutions(apiKey: string, now: number): Execution[] {
    this.settle(now);
    const account = this.accounts.get(apiKey);
    return visibleExecutions(account.executions, now, this.faults.lags(account.apiKey).executionMs);
  }

  /**
   * A symbol's positions as the account's API sees them at `now` (position visibility lag
   * applied per side): one (positionIdx 0) in one-way mode, two (1 then 2) in hedge mode.
   */
  visiblePositions(apiKey: string, symbol: string, now: number): PositionState[] {
    this.settle(now);
    const account = this.accounts.get(apiKey);
    const lagMs = this.faults.lags(account.apiKey).positionMs;
    return positionIdxsOf(account.positionModes.get(symbol) ?? 'OneWay').map((idx) =>
      visiblePosition(symbol, account.positionHistory.get(positionKey(symbol, idx)) ?? [], now, lagMs, account.createdTime, idx),
    );
  }

  /** Non-flat positions as the account's API sees them at `now`, in catalogue then positionIdx order. */
  visibleOpenPositions(apiKey: string, now: number): PositionState[] {
    return this.catalogue.symbols()
      .flatMap((symbol) => this.visiblePositions(apiKey, symbol, now))
      .filter((position) => !position.size.isZero());
  }

  /** The leverage a position uses (its symbol's setting, its side). */
  positionLeverage(apiKey: string, position: PositionState): Dec {
    return leverageOf(leverageSettingOf(this.accounts.get(apiKey), position.symbol), position);
  }

  /** Wallet figures from the current (unlagged) state. */
  wallet(apiKey: string, now: number): WalletView {
    this.settle(now);
    const account = this.accounts.get(apiKey);
    const positions = [...account.positions.values()];
    const positionIM = totalInitialMargin(positions, (position) => leverageOf(leverageSettingOf(account, position.symbol), position));
    let positionMM = ZERO;
    let upl = ZERO;
    let cumRealisedPnl = ZERO;
    for (const position of positions) {
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

  private forceClose(close: ScheduledClose): void {
    const account = this.accounts.find(close.apiKey);
    const position = account?.positions.get(positionKey(close.symbol, close.positionIdx));
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
      positionIdx: close.positionIdx,
      qty,
      markPrice,
      fillPrice: markPrice,
      orderPrice: markPrice,
      execValue,
      fee,
      outcome,
      walletAfter: account.walletBalance.plus(outcome.realisedPnl).minus(fee),
    };
    this.commit(account, match, side, '', true, true, close.dueTime, true);
  }

  private commit(account: AccountState, match: MatchResult, side: Side, orderLinkId: string, reduceOnly: boolean, closeOnTrigger: boolean, now: number, forced: boolean): Order {
    this.seq += 1;
    return recordFill(account, match, {
      side,
      orderLinkId,
      reduceOnly,
      closeOnTrigger,
      execType: forced ? 'BustTrade' : 'Trade',
      createType: forced ? 'CreateByLiq' : 'CreateByUser',
      orderId: this.newId(),
      execId: this.newId(),
      seq: this.seq,
      now,
    });
  }
}

function leverageSettingOf(account: AccountState, symbol: string): LeverageSetting {
  const setting = account.leverages.get(symbol);
  if (setting === undefined) throw new Error(`account ${account.apiKey} has no leverage for ${symbol}`);
  return setting;
}
