import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Hands a JetStream handler's own error to {@link JetStreamServer}, which logs it and retries the
 * message with its message as the reason. Nest's default RPC filter would replace every error
 * with `{ status: 'error', message: 'Internal server error' }` (the message is still retried, but
 * the log and the reason lose what went wrong). Apply it to every JetStream controller:
 * `@UseFilters(new JetStreamErrorFilter())`.
 */
@Catch()
export class JetStreamErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
