import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import { decodeCommand, JETSTREAM_TRANSPORT, JetStreamContext, JetStreamErrorFilter, RemovalNotice } from '@legwork/messaging';
import { GiveUpCommandUseCase } from '../give-up-command/give-up-command.use-case';
import { RecordPoisonCommandUseCase } from '../record-poison-command/record-poison-command.use-case';
import { EXECUTOR_LOGGER } from '../executor-logger';
import { TRADE_COMMANDS } from './trade-commands.transport';

/**
 * Thin transport for the trade commands the JetStream server removes: one that exhausted its
 * retries is given up, a poison one is recorded. The server removes the message once the handler
 * returns; a throw leaves it to the ack-wait redelivery.
 */
@Controller()
@UseFilters(new JetStreamErrorFilter())
export class TradeCommandRemovalsController {
  constructor(
    private readonly giveUp: GiveUpCommandUseCase,
    private readonly poison: RecordPoisonCommandUseCase,
    @Inject(EXECUTOR_LOGGER) private readonly log: Logger,
  ) {}

  @EventPattern(TRADE_COMMANDS.retriesExhausted, JETSTREAM_TRANSPORT)
  async retriesExhausted(@Payload() notice: RemovalNotice): Promise<void> {
    const decoded = decodeCommand(notice.data);
    if (decoded.ok) await this.giveUp.execute(decoded.command, notice.reason, this.log);
  }

  @EventPattern(TRADE_COMMANDS.terminated, JETSTREAM_TRANSPORT)
  async terminated(@Payload() notice: RemovalNotice, @Ctx() ctx: JetStreamContext): Promise<void> {
    const msg = ctx.getMessage();
    const message = { subject: msg.subject, stream: msg.info.stream, streamSequence: msg.info.streamSequence, payload: msg.string() };
    await this.poison.execute(message, notice.reason, this.log);
  }
}
