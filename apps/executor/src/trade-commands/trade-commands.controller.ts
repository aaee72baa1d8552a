import { Controller, Inject, UseFilters, UseInterceptors } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import {
  decodeCommand,
  DeliveryContext,
  JETSTREAM_TRANSPORT,
  JetStreamContext,
  JetStreamErrorFilter,
  REQUEST_ID_HEADER,
  TradeCommand,
} from '@legwork/messaging';
import { OpenPositionUseCase } from '../open-position/open-position.use-case';
import { ClosePositionUseCase } from '../close-position/close-position.use-case';
import { RollbackPositionUseCase } from '../rollback-position/rollback-position.use-case';
import { RestorePositionUseCase } from '../restore-position/restore-position.use-case';
import { EXECUTOR_LOGGER } from '../executor-logger';
import { CommandFailureCounter } from './command-failure-counter';
import { TradeCommandMetricsInterceptor } from './trade-command-metrics.interceptor';
import { HandledCommand, TRADE_COMMANDS } from './trade-commands.transport';

/**
 * Thin transport for trade commands: decode, dispatch to the use case, say how the message is
 * settled (the JetStream server acks, naks or removes it). Malformed or foreign messages are
 * terminated (see TradeCommandRemovalsController), never retried forever; a failed delivery is
 * counted durably and retried on that count (CommandFailureCounter).
 */
@Controller()
@UseFilters(new JetStreamErrorFilter())
export class TradeCommandsController {
  constructor(
    private readonly open: OpenPositionUseCase,
    private readonly close: ClosePositionUseCase,
    private readonly rollback: RollbackPositionUseCase,
    private readonly restore: RestorePositionUseCase,
    private readonly failures: CommandFailureCounter,
    @Inject(EXECUTOR_LOGGER) private readonly log: Logger,
  ) {}

  @EventPattern(TRADE_COMMANDS.message, JETSTREAM_TRANSPORT)
  @UseInterceptors(TradeCommandMetricsInterceptor)
  async handle(@Payload() data: Uint8Array, @Ctx() ctx: JetStreamContext): Promise<HandledCommand> {
    const decoded = decodeCommand(data);
    if (!decoded.ok)
      return { kind: 'term', reason: `undecodable command: ${decoded.reason}`, commandType: 'unknown', outcome: 'terminated' };
    const { command } = decoded;
    const delivery = ctx.getDelivery();
    // Every line about this command names it, its position and the HTTP request it came from (when it did).
    const requestId = ctx.getHeader(REQUEST_ID_HEADER);
    const log = this.log.child({
      commandId: command.commandId,
      type: command.type,
      positionId: command.positionId,
      delivery: delivery.deliveryCount,
      ...(requestId ? { requestId } : {}),
    });
    try {
      const result = await this.dispatch(command, delivery, log);
      return { kind: result === 'lease_lost' ? 'abandon' : 'ack', commandType: command.type, outcome: result };
    } catch (error) {
      return this.failures.retry(command, delivery, error, log);
    }
  }

  private dispatch(command: TradeCommand, delivery: DeliveryContext, log: Logger): Promise<string> {
    switch (command.type) {
      case 'OpenPosition':
        return this.open.execute(command.positionId, delivery, log);
      case 'ClosePosition':
        return this.close.execute(command.positionId, command.attempt, delivery, log);
      case 'RollbackPosition':
        return this.rollback.execute(command.positionId, command.attempt, delivery, log);
      case 'RestorePosition':
        return this.restore.execute(command.positionId, command.planId, delivery, log);
    }
  }
}
