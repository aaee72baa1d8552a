// Writing into an account: a matched order with its executions, or a funding settlement; each
// moves the wallet, the position and the position's snapshot history, and appends its
// transaction-log rows. The only place account records are appended, so the invariants hold by
// construction: one snapshot per order or settlement, in time order; one transaction-log row per
// execution, whose cashBalance is the wallet right after it; the account's cross seq of a symbol
// moves only here, once per order that filled and per funding settlement, and the position
// snapshot stored with it carries the same value.
import { Dec, ZERO } from './decimal';
import { FundingSettlement, fundingSettlement } from './funding';
import { MatchResult, TAKER_FEE_RATE } from './matching';
import { AccountState, CreateType, CrossSeq, ExecType, Execution, Order, PositionState, Side, positionKey } from './types';

/** The cross seq the next fill or settlement of the account's symbol takes (1 for the first). */
export function nextCrossSeq(account: AccountState, symbol: string): CrossSeq {
  return (account.crossSeqs.get(symbol) ?? 0) + 1;
}

/** What the order looked like, beyond the match. */
export interface FillOrigin {
  readonly side: Side;
  readonly orderLinkId: string;
  readonly reduceOnly: boolean;
  readonly closeOnTrigger: boolean;
  readonly execType: ExecType;
  readonly createType: CreateType;
  readonly orderId: string;
  /** A fresh id per execution. */
  readonly newExecId: () => string;
  /** The order's insertion ordinal; execution i gets ordinal + i. */
  readonly ordinal: number;
  /** The cross seq every execution of the order carries ({@link nextCrossSeq} when matched). */
  readonly crossSeq: CrossSeq;
  readonly now: number;
}

/** Appends the order and the executions of a match to the account and applies them. @returns the order */
export function recordFill(account: AccountState, match: MatchResult, origin: FillOrigin): Order {
  const { side, orderLinkId, createType, ordinal, crossSeq, now } = origin;
  const symbol = match.instrument.symbol;
  const order: Order = {
    orderId: origin.orderId,
    orderLinkId,
    symbol,
    side,
    positionIdx: match.positionIdx,
    qty: match.qty,
    price: match.orderPrice,
    orderStatus: match.orderStatus,
    cumExecQty: match.cumExecQty,
    cumExecValue: match.cumExecValue,
    cumExecFee: match.cumExecFee,
    avgPrice: match.avgPrice,
    // A market order is IOC: whatever did not fill is cancelled, nothing stays open.
    leavesQty: ZERO,
    reduceOnly: origin.reduceOnly,
    closeOnTrigger: origin.closeOnTrigger,
    createType,
    markPriceOnCreated: match.markPrice,
    createdTime: now,
    updatedTime: now,
    seq: ordinal,
  };
  account.orders.push(order);
  match.executions.forEach((executed, index) => {
    const execution: Execution = {
      execId: origin.newExecId(),
      orderId: order.orderId,
      orderLinkId,
      symbol,
      side,
      positionIdx: match.positionIdx,
      orderQty: match.qty,
      orderPrice: match.orderPrice,
      execPrice: executed.price,
      execQty: executed.qty,
      execValue: executed.execValue,
      execFee: executed.fee,
      feeRate: TAKER_FEE_RATE,
      leavesQty: executed.leavesQty,
      execType: origin.execType,
      markPrice: match.markPrice,
      closedSize: executed.closedSize,
      createType,
      execTime: now,
      seq: crossSeq,
      ordinal: ordinal + index,
    };
    account.executions.push(execution);
    account.transactionLog.push({
      id: execution.execId,
      symbol,
      side,
      type: origin.execType === 'BustTrade' ? 'LIQUIDATION' : 'TRADE',
      transactionTime: now,
      qty: executed.qty,
      size: executed.positionAfter.size,
      tradePrice: executed.price,
      funding: undefined,
      fee: executed.fee,
      cashFlow: executed.realisedPnl,
      change: executed.realisedPnl.minus(executed.fee),
      cashBalance: executed.walletAfter,
      feeRate: TAKER_FEE_RATE,
      tradeId: execution.execId,
      orderId: order.orderId,
      orderLinkId,
      ordinal: execution.ordinal,
    });
  });
  if (match.executions.length > 0) account.crossSeqs.set(symbol, crossSeq);
  if (orderLinkId !== '') account.usedOrderLinkIds.add(orderLinkId);
  account.walletBalance = match.walletAfter;
  storePosition(account, match.positionAfter, now);
  return order;
}

/**
 * Books one funding settlement of one position: a Funding execution, a SETTLEMENT row, the fee
 * out of (or into) the wallet and into the position's realised PnL. The position's size, entry
 * and every order are left as they are.
 */
export function recordFunding(
  account: AccountState,
  position: PositionState,
  settlement: FundingSettlement,
  ids: { execId: string; ordinal: number },
): Execution {
  const seq = nextCrossSeq(account, position.symbol);
  const execution: Execution = {
    execId: ids.execId,
    orderId: settlement.orderId,
    orderLinkId: '',
    symbol: position.symbol,
    side: settlement.executionSide,
    positionIdx: position.positionIdx,
    orderQty: ZERO,
    orderPrice: ZERO,
    execPrice: settlement.markPrice,
    execQty: position.size.abs(),
    execValue: settlement.positionValue,
    execFee: settlement.fee,
    feeRate: settlement.rate,
    leavesQty: ZERO,
    execType: 'Funding',
    markPrice: settlement.markPrice,
    closedSize: ZERO,
    createType: '',
    execTime: settlement.time,
    seq,
    ordinal: ids.ordinal,
  };
  account.walletBalance = account.walletBalance.minus(settlement.fee);
  account.executions.push(execution);
  account.transactionLog.push({
    id: ids.execId,
    symbol: position.symbol,
    side: position.size.isPositive() ? 'Buy' : 'Sell',
    type: 'SETTLEMENT',
    transactionTime: settlement.time,
    qty: position.size.abs(),
    size: position.size,
    tradePrice: settlement.markPrice,
    funding: settlement.fee.neg(),
    fee: ZERO,
    cashFlow: ZERO,
    change: settlement.fee.neg(),
    cashBalance: account.walletBalance,
    feeRate: settlement.rate,
    tradeId: ids.execId,
    orderId: settlement.orderId,
    orderLinkId: '',
    ordinal: ids.ordinal,
  });
  account.crossSeqs.set(position.symbol, seq);
  storePosition(
    account,
    {
      ...position,
      curRealisedPnl: position.curRealisedPnl.minus(settlement.fee),
      cumRealisedPnl: position.cumRealisedPnl.minus(settlement.fee),
      seq,
    },
    settlement.time,
  );
  return execution;
}

/** One funding settlement booked on an account. */
export interface FundingBooked {
  readonly apiKey: string;
  readonly execution: Execution;
}

/**
 * Settles funding at `time` on every non-flat position of the accounts (of one symbol when
 * given), in account then position order.
 */
export function settleFunding(
  accounts: readonly AccountState[],
  time: number,
  symbol: string | undefined,
  market: { markPrice: (symbol: string) => Dec; rate: (symbol: string) => Dec; nextIds: () => { execId: string; ordinal: number } },
): FundingBooked[] {
  const booked: FundingBooked[] = [];
  for (const account of accounts) {
    for (const position of [...account.positions.values()]) {
      if (position.size.isZero() || (symbol !== undefined && position.symbol !== symbol)) continue;
      const settlement = fundingSettlement(position, market.markPrice(position.symbol), market.rate(position.symbol), time, account.userId);
      booked.push({ apiKey: account.apiKey, execution: recordFunding(account, position, settlement, market.nextIds()) });
    }
  }
  return booked;
}

function storePosition(account: AccountState, position: PositionState, time: number): void {
  const key = positionKey(position.symbol, position.positionIdx);
  account.positions.set(key, position);
  const history = account.positionHistory.get(key) ?? [];
  history.push({ time, state: position });
  account.positionHistory.set(key, history);
}
