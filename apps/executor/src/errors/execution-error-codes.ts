import type { DomainErrorCode, INSUFFICIENT_MARGIN, LEVERAGE_NOT_1X } from '@legwork/domain';
import type { ExchangeErrorCode } from '@legwork/exchange';
import type { PersistenceErrorCode } from '@legwork/persistence';

/**
 * The executor's own codes: why a basket failed (a position's `failure.code`) or why a delivery
 * is retried (`command_failures.code`). Codes are the API's contract (the gateway shows a failed
 * position's code): never rename one. They never become HTTP statuses.
 */
export const EXECUTOR_ERROR_CODES = [
  'EXECUTION.LEG_REJECTED',
  'EXECUTION.LEG_UNCONFIRMED',
  'EXECUTION.RETRIES_EXHAUSTED',
  /** The position asked for a legging mode this executor does not run (yet): refused before any order. */
  'EXECUTOR.UNEXPECTED_ERROR',
  'INDEX.NOT_FOUND',
  'ACCOUNT.NOT_FOUND',
  'ACCOUNT.KEY_REFUSED',
  'ACCOUNT.POSITION_MODE_CHANGED',
  'ROLLBACK.OPEN_LEG_UNSETTLED',
  'CLOSE.POSITION_LIST_CONTRADICTS',
  'ROLLBACK.POSITION_LIST_CONTRADICTS',
  'CLOSE.RETRIES_EXHAUSTED',
  'ROLLBACK.RETRIES_EXHAUSTED',
  'CLOSE.INCOMPLETE',
  'ROLLBACK.INCOMPLETE',
] as const;

export type ExecutorErrorCode = (typeof EXECUTOR_ERROR_CODES)[number];

/** Any code the executor records: its own, the exchange's classified answer, a domain refusal, or a stored-state refusal. */
export type ExecutionFailureCode =
  ExecutorErrorCode | ExchangeErrorCode | DomainErrorCode | PersistenceErrorCode | typeof LEVERAGE_NOT_1X | typeof INSUFFICIENT_MARGIN;

/** The code of an unwind's `what` for a close (`CLOSE.…`) or a rollback (`ROLLBACK.…`). */
export function unwindFailureCode(
  kind: 'close' | 'rollback',
  what: 'POSITION_LIST_CONTRADICTS' | 'RETRIES_EXHAUSTED' | 'INCOMPLETE',
): ExecutorErrorCode {
  return `${kind === 'close' ? 'CLOSE' : 'ROLLBACK'}.${what}`;
}

/** Why a basket is refused before or while it trades: the code and a sentence for a person. */
export interface ExecutionFailure {
  code: ExecutionFailureCode;
  reason: string;
}
