import { DOMAIN_ERROR_CODES, DomainError, type DomainErrorCode } from '@legwork/domain';
import { Bus, ExecutorRequest, ExecutorResults, requestExecutor } from '@legwork/messaging';
import { PERSISTENCE_ERROR_CODES, PersistenceError, type PersistenceErrorCode } from '@legwork/persistence';
import { ApplicationError, GATEWAY_ERROR_CODES, type GatewayErrorCode } from '../errors/application-error';

/**
 * The executor answered with a failure the gateway has no refusal for (the exchange could not be
 * read, an unexpected error): its `code` as the executor gave it (`EXCHANGE.NETWORK`, `INTERNAL`,
 * …). The API answers it `500 INTERNAL`, as it did when the gateway read the exchange itself.
 */
export class ExecutorRequestFailedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExecutorRequestFailedError';
  }
}

/**
 * The gateway's side of its bounded requests to the executor (restore plans and their
 * confirmation, mark prices): the gateway holds no exchange client and no account secret, so
 * whatever needs the exchange is asked here, and waited for at most `timeoutMs`.
 */
export class ExecutorClient {
  constructor(
    private readonly bus: Bus,
    private readonly timeoutMs: number,
  ) {}

  /**
   * @returns the executor's result for `request`
   * @throws ApplicationError `EXECUTOR.UNAVAILABLE` when no executor answered within the bound;
   *   the executor's refusal with its own code and message: ApplicationError (a gateway code, with
   *   its `field`), PersistenceError or DomainError; ExecutorRequestFailedError for any other failure
   */
  async ask<R extends ExecutorRequest>(request: R): Promise<ExecutorResults[R['type']]> {
    const answer = await requestExecutor(this.bus, request, this.timeoutMs);
    if (answer.kind === 'unavailable') throw new ApplicationError('EXECUTOR.UNAVAILABLE', `${answer.reason}; try again shortly`);
    if (answer.reply.ok) return answer.reply.result;
    const { code, message, field } = answer.reply.error;
    if (isOneOf<GatewayErrorCode>(GATEWAY_ERROR_CODES, code)) throw new ApplicationError(code, message, field);
    if (isOneOf<PersistenceErrorCode>(PERSISTENCE_ERROR_CODES, code)) throw new PersistenceError(code, message);
    if (isOneOf<DomainErrorCode>(DOMAIN_ERROR_CODES, code)) throw new DomainError(code, message);
    throw new ExecutorRequestFailedError(code, `the executor could not answer ${request.type}: ${code}: ${message}`);
  }
}

function isOneOf<C extends string>(codes: readonly C[], code: string): code is C {
  return (codes as readonly string[]).includes(code);
}
