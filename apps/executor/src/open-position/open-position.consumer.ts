import { Injectable } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { decodeCommand, DeliveryContext, Disposition, MessageHandler } from '@legwork/messaging';
import { OpenPositionUseCase } from './open-position.use-case';
import { TransientExecutionError } from '../leg-execution/transient-error';
import { ExecutorMetrics } from '../metrics';

/**
 * Thin transport for trade commands: decode, run the use case, map the result to ack / retry /
 * term. Malformed or foreign messages are terminated with a logged reason, never retried forever.
 */
@Injectable()
export class TradeCommandConsumer implements MessageHandler {
  private log!: Logger;

  constructor(
    private readonly openPosition: OpenPositionUseCase,
    private readonly metrics: ExecutorMetrics,
  ) {}

  useLogger(log: Logger): void {
    this.log = log;
  }

  async handle(msg: JsMsg, ctx: DeliveryContext): Promise<Disposition> {
    const decoded = decodeCommand(msg.data);
    if (!decoded.ok) return { kind: 'term', reason: `undecodable command: ${decoded.reason}` };
    const { command } = decoded;
    const log = this.log.child({ commandId: command.commandId, positionId: command.positionId, delivery: ctx.deliveryCount });
    try {
      const result = await this.openPosition.execute(command.positionId, ctx, log);
      return result.kind === 'lease_lost' ? { kind: 'abandon' } : { kind: 'ack' };
    } catch (error) {
      if (error instanceof TransientExecutionError) {
        this.metrics.commands.inc({ type: command.type, outcome: 'retry' });
        log.warn({ code: error.code, reason: error.message }, 'transient failure');
        return { kind: 'retry', reason: error.message };
      }
      throw error;
    }
  }

  async onRetriesExhausted(msg: JsMsg, reason: string): Promise<void> {
    const decoded = decodeCommand(msg.data);
    if (decoded.ok) await this.openPosition.giveUp(decoded.command.positionId, reason);
  }

  async onTerminated(msg: JsMsg, reason: string): Promise<void> {
    this.metrics.commands.inc({ type: 'unknown', outcome: 'terminated' });
    this.log.error({ subject: msg.subject, seq: msg.info.streamSequence, reason }, 'poison command terminated');
  }
}
