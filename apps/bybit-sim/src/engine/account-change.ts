// Builds the AccountChange event of one change of an account from the records the ledger has just
// written. Pure: prices and leverage come in through `AccountViews`.
import { Dec, ZERO } from './decimal';
import { AccountChange, AccountChangeCause, ExecutionUpdate } from './events';
import { FundingBooked } from './ledger';
import { AccountState, Execution, Order, PositionState, positionKey } from './types';
import { walletView } from './wallet';

/** What a change's rows show besides the account's records. */
export interface AccountViews {
  /** Mark price of a symbol (USDT). */
  readonly markPrice: (symbol: string) => Dec;
  /** Leverage of a position's symbol and side for the account. */
  readonly leverage: (account: AccountState, position: PositionState) => Dec;
}

/** What changed. */
export interface ChangeRecords {
  readonly cause: AccountChangeCause;
  readonly time: number;
  readonly order?: Order;
  readonly executions: readonly Execution[];
  readonly positions: readonly PositionState[];
}

/**
 * The event of one change, with each execution's realised PnL read from the transaction log (its
 * row carries the execId as `tradeId`; funding rows realise nothing before fees, so 0) and the
 * wallet recomputed after the change.
 */
export function accountChange(account: AccountState, records: ChangeRecords, views: AccountViews): AccountChange {
  const cashFlowByExecId = new Map<string, Dec>();
  const wanted = new Set(records.executions.map((execution) => execution.execId));
  // The change's rows are the newest ones: scan from the end only as far as needed.
  for (let index = account.transactionLog.length - 1; index >= 0 && cashFlowByExecId.size < wanted.size; index -= 1) {
    const entry = account.transactionLog[index];
    if (entry !== undefined && wanted.has(entry.tradeId)) cashFlowByExecId.set(entry.tradeId, entry.cashFlow);
  }
  const executions: ExecutionUpdate[] = records.executions.map((execution) => ({
    execution,
    execPnl: execution.execType === 'Funding' ? ZERO : (cashFlowByExecId.get(execution.execId) ?? ZERO),
  }));
  const leverage = (position: PositionState): Dec => views.leverage(account, position);
  return {
    kind: 'account',
    cause: records.cause,
    apiKey: account.apiKey,
    userId: account.userId,
    time: records.time,
    ...(records.order === undefined ? {} : { order: records.order }),
    executions,
    positions: records.positions.map((state) => ({ state, markPrice: views.markPrice(state.symbol), leverage: leverage(state) })),
    wallet: walletView(account.walletBalance, [...account.positions.values()], leverage, views.markPrice),
  };
}

/** The funding settlements of `booked` that belong to the account, with the positions they moved; undefined when none. */
export function fundingRecords(account: AccountState, booked: readonly FundingBooked[], time: number): ChangeRecords | undefined {
  const executions = booked.filter((entry) => entry.apiKey === account.apiKey).map((entry) => entry.execution);
  if (executions.length === 0) return undefined;
  const positions = executions.flatMap((execution) => account.positions.get(positionKey(execution.symbol, execution.positionIdx)) ?? []);
  return { cause: 'funding', time, executions, positions };
}
