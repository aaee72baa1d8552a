// Writing a matched fill into an account: the order, its one execution, the wallet, the position
// and the position's snapshot history. The only place account records are appended, so the
// invariant "one snapshot per fill, in fill order" holds by construction.
import { ZERO } from './decimal';
import { TAKER_FEE_RATE, MatchResult } from './matching';
import { AccountState, CreateType, ExecType, Execution, Order, Side, positionKey } from './types';

/** What the fill's order looked like, beyond the match. */
export interface FillOrigin {
  readonly side: Side;
  readonly orderLinkId: string;
  readonly reduceOnly: boolean;
  readonly closeOnTrigger: boolean;
  readonly execType: ExecType;
  readonly createType: CreateType;
  readonly orderId: string;
  readonly execId: string;
  readonly seq: number;
  readonly now: number;
}

/** Appends the order and execution of a match to the account and applies it. @returns the order */
export function recordFill(account: AccountState, match: MatchResult, origin: FillOrigin): Order {
  const { side, orderLinkId, createType, seq, now } = origin;
  const symbol = match.instrument.symbol;
  const order: Order = {
    orderId: origin.orderId,
    orderLinkId,
    symbol,
    side,
    positionIdx: match.positionIdx,
    qty: match.qty,
    price: match.orderPrice,
    orderStatus: 'Filled',
    cumExecQty: match.qty,
    cumExecValue: match.execValue,
    cumExecFee: match.fee,
    avgPrice: match.fillPrice,
    leavesQty: ZERO,
    reduceOnly: origin.reduceOnly,
    closeOnTrigger: origin.closeOnTrigger,
    createType,
    markPriceOnCreated: match.markPrice,
    createdTime: now,
    updatedTime: now,
    seq,
  };
  const execution: Execution = {
    execId: origin.execId,
    orderId: order.orderId,
    orderLinkId,
    symbol,
    side,
    positionIdx: match.positionIdx,
    orderQty: match.qty,
    orderPrice: match.orderPrice,
    execPrice: match.fillPrice,
    execQty: match.qty,
    execValue: match.execValue,
    execFee: match.fee,
    feeRate: TAKER_FEE_RATE,
    execType: origin.execType,
    markPrice: match.markPrice,
    closedSize: match.outcome.closedSize,
    createType,
    execTime: now,
    seq,
  };
  account.orders.push(order);
  account.executions.push(execution);
  if (orderLinkId !== '') account.usedOrderLinkIds.add(orderLinkId);
  account.walletBalance = match.walletAfter;
  const key = positionKey(symbol, match.positionIdx);
  account.positions.set(key, match.outcome.next);
  const history = account.positionHistory.get(key) ?? [];
  history.push({ time: now, state: match.outcome.next });
  account.positionHistory.set(key, history);
  return order;
}
