// The simulated exchange: accounts, their orders, executions and positions, their position modes
// and leverage, instrument statuses, the order books market orders walk, funding, maintenance
// windows, and the scheduled forced closes of the closeAfterFillMs fault. Pure of I/O: time comes
// in as `now` arguments, ids from an injected factory.
// Invariants: every operation first settles what fell due at or before its `now` — forced closes
// and the 8-hour funding marks, in time order — so positions, snapshots, executions and
// transaction-log rows stay in time order, and a funding mark always sees the positions as they
// were at that mark (nothing can have traded since without settling it first).
import { randomUUID } from 'node:crypto';
import { AccountBook, NewAccount } from './accounts';
import { AccountViews, ChangeRecords, accountChange, fundingRecords } from './account-change';
import { AccountSettings } from './account-settings';
import { BatchBudget } from './batch-budget';
import { Dec } from './decimal';
import { ExchangeEvents } from './events';
import { FaultBook } from './faults';
import { Instrument, InstrumentCatalogue } from './instruments';
import { LatencyBook } from './latency';
import { checkLeverageMargin, checkLeverageRequest, leverageOf, totalInitialMargin } from './leverage';
import { FUNDING_INTERVAL_MS, FundingRates, fundingMarkAtOrBefore } from './funding';
import { FundingBooked, nextCrossSeq, recordFill, settleFunding } from './ledger';
import { MaintenanceBook } from './maintenance';
import { Liquidity, MarketOrderRequest, MatchResult, executeFills, matchMarketOrder, slippedPrice } from './matching';
import { OrderBooks, protectionPrice, walkBook } from './order-book';
import { ModeSwitchScope, positionIdxsOf, symbolsToSwitch } from './position-modes';
import { PriceBook } from './prices';
import { AccountState, Execution, LeverageSetting, Order, PositionIdx, PositionMode, PositionState, Side, positionKey } from './types';
import { visibleExecutions, visibleOrders, visiblePosition } from './visibility';
import { WalletView, walletView } from './wallet';

export { AccountExistsError, UnknownAccountError } from './accounts';
export type { NewAccount } from './accounts';
export { MAINTENANCE_MARGIN_RATE } from './leverage';

export type { WalletView } from './wallet';

export interface ExchangeOptions {
  readonly catalogue: InstrumentCatalogue;
  readonly prices: PriceBook;
  readonly faults: FaultBook;
  /** Slippage of fill-at-mark fills against the taker (bps); the book mode ignores it. */
  readonly slippageBps: Dec;
  /** Default: a fresh book per symbol with DEFAULT_BOOK_SETTINGS, seed 1. */
  readonly books?: OrderBooks;
  /**
   * Fill every market order whole at mark ± slippageBps (one execution) instead of walking the
   * book: exact prices for tests that need them. Default false; per account by {@link setFillAtMark}.
   */
  readonly fillAtMark?: boolean;
  /** Network latency per account and global; default none (seed 1). */
  readonly latency?: LatencyBook;
  /** The create-batch limits and units used; default Bybit's linear limits. */
  readonly batchBudget?: BatchBudget;
  readonly newId?: () => string;
}

export type { FundingBooked } from './ledger';

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
  readonly books: OrderBooks;
  readonly fundingRates: FundingRates;
  readonly maintenance = new MaintenanceBook();
  readonly latency: LatencyBook;
  readonly batchBudget: BatchBudget;
  private scheduledCloses: ScheduledClose[] = [];
  /** Insertion order of orders and executions across accounts (listing tie-breaker). */
  private ordinal = 0;
  private readonly newId: () => string;
  /** Fill-at-mark, global and per account (the simulator's one rule for such settings). */
  private readonly fillModes: AccountSettings<{ fillAtMark: boolean }>;
  /** The last funding mark settled; undefined until the first operation. */
  private lastFundingMark: number | undefined;
  /** Told of every account change (the private stream listens); see ./events.ts. */
  readonly events = new ExchangeEvents();
  private readonly views: AccountViews = {
    markPrice: (symbol) => this.prices.mark(symbol),
    leverage: (account, position) => leverageOf(leverageSettingOf(account, position.symbol), position),
  };

  constructor(private readonly options: ExchangeOptions) {
    this.newId = options.newId ?? randomUUID;
    this.accounts = new AccountBook(options.catalogue);
    this.books = options.books ?? new OrderBooks(options.catalogue, 1);
    this.fundingRates = new FundingRates(options.catalogue);
    this.fillModes = new AccountSettings({ fillAtMark: options.fillAtMark ?? false });
    this.latency = options.latency ?? new LatencyBook(1);
    this.batchBudget = options.batchBudget ?? new BatchBudget();
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
    this.settle(now);
    return this.accounts.create(input, now);
  }

  /** The account holding the key (active or revoked), if any. */
  account(apiKey: string): AccountState | undefined {
    return this.accounts.find(apiKey);
  }

  /**
   * Drops accounts, orders, positions, faults, pins, instrument statuses, book settings, funding
   * rates, maintenance windows, fill modes, latency and batch-limit settings and the batch units
   * used; prices restart from the defaults, latency and batch limits from the configured ones.
   */
  reset(): void {
    this.accounts.clear();
    this.scheduledCloses = [];
    this.statusOverrides.clear();
    this.options.faults.clear();
    this.options.prices.reset();
    this.books.reset();
    this.fundingRates.reset();
    this.maintenance.clear();
    this.fillModes.reset();
    this.lastFundingMark = undefined;
    this.latency.reset();
    this.batchBudget.reset();
    this.events.emit({ kind: 'reset' });
  }

  /** Whether the account's market orders fill at the mark price instead of walking the book. */
  fillAtMark(apiKey: string): boolean {
    return this.fillModes.forAccount(this.accounts.get(apiKey).apiKey).fillAtMark;
  }

  /**
   * Sets fill-at-mark for one account, or (no apiKey) for every account, dropping per-account
   * settings — the same "a global post replaces all" rule as faults.
   *
   * @throws UnknownAccountError for an unknown apiKey
   */
  setFillAtMark(value: boolean, apiKey?: string): void {
    this.fillModes.set({ fillAtMark: value }, apiKey === undefined ? undefined : this.accounts.get(apiKey).apiKey);
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
    this.maintenance.check(this.catalogue.find(request.symbol) === undefined ? undefined : request.symbol, now);
    const account = this.accounts.get(apiKey);
    const fillAtMark = this.fillAtMark(apiKey);
    const match = matchMarketOrder(request, {
      catalogue: this.catalogue,
      markPrice: (symbol) => this.prices.mark(symbol),
      liquidity: (instrument, side, qty, markPrice) => this.liquidity(instrument, side, qty, markPrice, fillAtMark, now),
      walletBalance: account.walletBalance,
      instrumentStatus: (symbol) => this.instrumentStatus(symbol),
      positionMode: (symbol) => account.positionModes.get(symbol) ?? 'OneWay',
      leverage: (position) => leverageOf(leverageSettingOf(account, position.symbol), position),
      positions: account.positions,
      usedOrderLinkIds: account.usedOrderLinkIds,
      now,
      seq: nextCrossSeq(account, request.symbol),
    });
    const order = this.commit(
      account,
      match,
      request.side,
      request.orderLinkId,
      request.reduceOnly,
      request.closeOnTrigger,
      now,
      false,
      request.createType,
    );
    if (!fillAtMark) this.books.take(request.symbol, request.side, match.executions, now);
    const closeAfterFillMs = this.faults.closeAfterFillMs(account.apiKey);
    if (closeAfterFillMs !== undefined && match.executions.length > 0 && !match.positionAfter.size.isZero()) {
      this.scheduledCloses.push({
        apiKey: account.apiKey,
        symbol: request.symbol,
        positionIdx: match.positionIdx,
        dueTime: now + closeAfterFillMs,
      });
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
    this.maintenance.check(undefined, now);
    const account = this.accounts.get(apiKey);
    const hasPosition = (symbol: string): boolean =>
      [...account.positions.values()].some((position) => position.symbol === symbol && !position.size.isZero());
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
    this.maintenance.check(undefined, now);
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
    const touched = positions.filter((position) => position.symbol === symbol);
    this.emitChange(account, { cause: 'leverage', time: now, executions: [], positions: touched });
  }

  /**
   * Liquidates a position now (control API): the exchange closes it whole at the mark price, as the
   * closeAfterFillMs fault does later — a CreateByLiq order with a BustTrade execution.
   *
   * @returns the liquidation order; undefined when the position is flat
   * @throws UnknownAccountError
   */
  liquidate(apiKey: string, symbol: string, positionIdx: PositionIdx, now: number): Order | undefined {
    this.settle(now);
    return this.forceClose({ apiKey: this.accounts.get(apiKey).apiKey, symbol, positionIdx, dueTime: now });
  }

  /**
   * Runs what fell due at or before `now` in time order: forced closes and funding marks (a close
   * due before a mark runs first, so the mark sees the position it left).
   */
  settle(now: number): void {
    let lastMark = this.lastFundingMark ?? fundingMarkAtOrBefore(now);
    this.lastFundingMark = lastMark;
    for (;;) {
      const close = this.scheduledCloses.filter((scheduled) => scheduled.dueTime <= now).sort((a, b) => a.dueTime - b.dueTime)[0];
      const mark: number = lastMark + FUNDING_INTERVAL_MS;
      if (close !== undefined && (mark > now || close.dueTime < mark)) {
        this.scheduledCloses = this.scheduledCloses.filter((scheduled) => scheduled !== close);
        this.forceClose(close);
      } else if (mark <= now) {
        this.settleFundingAt(mark, undefined);
        this.lastFundingMark = mark;
        lastMark = mark;
      } else {
        return;
      }
    }
  }

  /**
   * Settles funding now, off the 8-hour schedule (control API), for every open position of every
   * account, or of one symbol, at the current rates and mark prices.
   *
   * @returns the Funding executions booked
   */
  settleFundingNow(now: number, symbol?: string): FundingBooked[] {
    this.settle(now);
    return this.settleFundingAt(now, symbol);
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
    return this.catalogue
      .symbols()
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
    return walletView(
      account.walletBalance,
      [...account.positions.values()],
      (position) => leverageOf(leverageSettingOf(account, position.symbol), position),
      (symbol) => this.prices.mark(symbol),
    );
  }

  private forceClose(close: ScheduledClose): Order | undefined {
    const account = this.accounts.find(close.apiKey);
    const position = account?.positions.get(positionKey(close.symbol, close.positionIdx));
    if (account === undefined || position === undefined || position.size.isZero()) return undefined;
    const instrument = this.catalogue.get(close.symbol);
    const side: Side = position.size.isPositive() ? 'Sell' : 'Buy';
    const qty = position.size.abs();
    const markPrice = this.prices.mark(close.symbol);
    const executed = executeFills(
      instrument,
      position,
      side,
      qty,
      [{ price: markPrice, qty }],
      account.walletBalance,
      close.dueTime,
      nextCrossSeq(account, close.symbol),
    );
    const match: MatchResult = { instrument, positionIdx: close.positionIdx, qty, markPrice, orderPrice: markPrice, ...executed };
    return this.commit(account, match, side, '', true, true, close.dueTime, true);
  }

  private settleFundingAt(time: number, symbol: string | undefined): FundingBooked[] {
    const booked = settleFunding(this.accounts.all(), time, symbol, {
      markPrice: (of) => this.prices.mark(of),
      rate: (of) => this.fundingRates.rate(of),
      nextIds: () => ({ execId: this.newId(), ordinal: (this.ordinal += 1) }),
    });
    for (const account of this.accounts.all()) {
      const records = fundingRecords(account, booked, time);
      if (records !== undefined) this.emitChange(account, records);
    }
    return booked;
  }

  private emitChange(account: AccountState, records: ChangeRecords): void {
    this.events.emit(accountChange(account, records, this.views));
  }

  private liquidity(instrument: Instrument, side: Side, qty: Dec, markPrice: Dec, fillAtMark: boolean, now: number): Liquidity {
    const limitPrice = protectionPrice(instrument, markPrice, side, this.books.priceLimitRatio(instrument));
    if (fillAtMark) return { fills: [{ price: slippedPrice(instrument, markPrice, side, this.options.slippageBps), qty }], limitPrice };
    const book = this.books.view(instrument, markPrice, now);
    return { fills: walkBook(side === 'Buy' ? book.asks : book.bids, side, qty, limitPrice), limitPrice };
  }

  private commit(
    account: AccountState,
    match: MatchResult,
    side: Side,
    orderLinkId: string,
    reduceOnly: boolean,
    closeOnTrigger: boolean,
    now: number,
    forced: boolean,
    createType: 'CreateByUser' | 'CreateByClosing' = 'CreateByUser',
  ): Order {
    const ordinal = this.ordinal + 1;
    this.ordinal += Math.max(1, match.executions.length);
    const executionsBefore = account.executions.length;
    const order = recordFill(account, match, {
      side,
      orderLinkId,
      reduceOnly,
      closeOnTrigger,
      execType: forced ? 'BustTrade' : 'Trade',
      createType: forced ? 'CreateByLiq' : createType,
      orderId: this.newId(),
      newExecId: this.newId,
      ordinal,
      crossSeq: nextCrossSeq(account, match.instrument.symbol),
      now,
    });
    const executions = account.executions.slice(executionsBefore);
    this.emitChange(account, { cause: 'order', time: now, order, executions, positions: [match.positionAfter] });
    return order;
  }
}

function leverageSettingOf(account: AccountState, symbol: string): LeverageSetting {
  const setting = account.leverages.get(symbol);
  if (setting === undefined) throw new Error(`account ${account.apiKey} has no leverage for ${symbol}`);
  return setting;
}
