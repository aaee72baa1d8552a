import { DomainError } from '@legwork/domain';
import { ExchangeRequestRefusedError, ExchangeUnavailableError } from '@legwork/exchange';
import type { ExecutorRequestError } from '@legwork/messaging';
import { PersistenceError } from '@legwork/persistence';

/**
 * Why the executor refuses one of the gateway's requests (a restore plan, its confirmation).
 * The gateway answers them with the same codes it used when it decided them itself; they are the
 * API's contract: never rename one.
 */
export const REQUEST_REFUSAL_CODES = [
  'POSITION.NOT_FOUND',
  'POSITION.NOT_ACTIVE',
  'ACCOUNT.NOT_FOUND',
  'ACCOUNT.KEY_REFUSED',
  'RESTORE.PLAN_NOT_FOUND',
  'RESTORE.PLAN_STALE',
] as const;

export type RequestRefusalCode = (typeof REQUEST_REFUSAL_CODES)[number];

/** A request the executor will not carry out: a stable `code`, a message for the user, and the input to blame (`field`) if one is. */
export class RequestRefusedError extends Error {
  constructor(
    readonly code: RequestRefusalCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RequestRefusedError';
  }
}

/**
 * The reply error for an error a request's use case threw: its own refusals, the domain's and the
 * stored state's refusals, and the exchange's classified answer keep their code and message.
 * @returns null for anything else (unexpected: the caller logs it and answers `INTERNAL`)
 */
export function requestErrorOf(error: unknown): ExecutorRequestError | null {
  if (error instanceof RequestRefusedError)
    return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
  if (
    error instanceof DomainError ||
    error instanceof PersistenceError ||
    error instanceof ExchangeUnavailableError ||
    error instanceof ExchangeRequestRefusedError
  ) {
    return { code: error.code, message: error.message };
  }
  return null;
}
