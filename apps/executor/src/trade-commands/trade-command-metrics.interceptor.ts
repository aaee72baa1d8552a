import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import type { JetStreamContext } from '@legwork/messaging';
import { ExecutorMetrics } from '../metrics';
import type { HandledCommand } from './trade-commands.transport';

/**
 * Counts what each trade-command delivery came to (`trade_commands_total{type, outcome}`, the
 * outcome in lower snake case: `active`, `failed`, `closed`, `rolled_back`, …) and the
 * deliveries of a readable command after its first (`command_redeliveries_total`).
 */
@Injectable()
export class TradeCommandMetricsInterceptor implements NestInterceptor<HandledCommand, HandledCommand> {
  constructor(private readonly metrics: ExecutorMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler<HandledCommand>): Observable<HandledCommand> {
    const { deliveryCount } = context.switchToRpc().getContext<JetStreamContext>().getDelivery();
    return next.handle().pipe(
      tap((handled) => {
        if (handled.commandType !== 'unknown' && deliveryCount > 1) this.metrics.redeliveries.inc();
        // One style for every outcome: lower snake case (the use cases answer `active` but also `ROLLED_BACK`).
        if (handled.outcome !== null) this.metrics.commands.inc({ type: handled.commandType, outcome: handled.outcome.toLowerCase() });
      }),
    );
  }
}
