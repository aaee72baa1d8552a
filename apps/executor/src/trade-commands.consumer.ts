import { Injectable } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { decodeCommand, DeliveryContext, Disposition, MessageHandler, TradeCommand } from '@legwork/messaging';
import { OpenPositionUseCase } from './open-position/open-position.use-case';
import { ClosePositionUseCase } from './close-position/close-position.use-case';
import { RollbackPositionUseCase } from './rollback-position/rollback-position.use-case';
import { RestorePositionUseCase } from './restore-position/restore-position.use-case';
import { TransientExecutionError } from './leg-execution/transient-error';
import { ExecutorContext } from './position-work/executor-context';
import { CommandFailureRepository, PersistenceError } from '@legwork/persistence';
import { ExecutionFailureCode, unwindFailureCode } from './errors/execution-error-codes';

/**
 * Thin transport for trade commands: decode, dispatch to the use case, map the result to
 * ack / retry / term. Malformed or foreign messages are terminated with a logged reason and an
 * alert, never retried forever. Failures are counted per command in PostgreSQL
 * (`command_failures`), and the retry schedule is applied to that count, not to JetStream's
 * delivery count (which a crash's redelivery raises too): a crash never costs a retry (issue 11).
 */
@Injectable()
export class TradeCommandsConsumer implements MessageHandler {
  private log!: Logger;

  constructor(
    private readonly open: OpenPositionUseCase,
    private readonly close: ClosePositionUseCase,
    private readonly rollback: RollbackPositionUseCase,
    private readonly restore: RestorePositionUseCase,
    private readonly ctx: ExecutorContext,
    private readonly failures: CommandFailureRepository,
  ) {}

  useLogger(log: Logger): void {
    this.log = log;
  }

  async handle(msg: JsMsg, delivery: DeliveryContext): Promise<Disposition> {
    const decoded = decodeCommand(msg.data);
    if (!decoded.ok) return { kind: 'term', reason: `undecodable command: ${decoded.reason}` };
    const { command } = decoded;
    if (delivery.deliveryCount > 1) this.ctx.metrics.redeliveries.inc();
    const log = this.log.child({ commandId: command.commandId, type: command.type, delivery: delivery.deliveryCount });
    try {
      const result = await this.dispatch(command, delivery, log);
      this.ctx.metrics.commands.inc({ type: command.type, outcome: result });
      return result === 'lease_lost' ? { kind: 'abandon' } : { kind: 'ack' };
    } catch (error) {
      return this.retry(command, delivery, error, log);
    }
  }

  /**
   * A delivery whose work failed: counts the failure durably, and asks for the retry its count
   * gives. Counted here, once per delivery, and nowhere else: a delivery cut short by a crash or
   * an ack timeout never gets here, so it costs no retry and does not shift the schedule.
   * A crash after the count and before the consumer's nak leaves this failure counted once (it
   * happened) and the message to the ack-wait redelivery, which counts only if it fails too.
   */
  private async retry(command: TradeCommand, delivery: DeliveryContext, error: unknown, log: Logger): Promise<Disposition> {
    const transient = error instanceof TransientExecutionError;
    const code: ExecutionFailureCode = transient || error instanceof PersistenceError ? error.code : 'EXECUTOR.UNEXPECTED_ERROR';
    const reason = transient ? error.message : `unexpected error: ${(error as Error).message}`;
    if (transient) log.warn({ positionId: command.positionId, code, reason }, 'transient failure');
    else log.error({ positionId: command.positionId, code, err: error }, 'unexpected failure; treated as transient');
    let failureCount: number;
    try {
      failureCount = await this.failures.record({
        commandId: command.commandId,
        streamSequence: delivery.streamSequence,
        deliveryCount: delivery.deliveryCount,
        commandType: command.type,
        positionId: command.positionId,
        code,
        reason,
      });
    } catch (recordError) {
      // Uncounted means undecided: neither a nak (its delay would be a guess) nor a give-up. The
      // ack wait redelivers the message, JetStream's max_deliver bounds how often, and the
      // MAX_DELIVERIES advisory captures it if the database never comes back.
      log.error({ positionId: command.positionId, err: recordError }, 'could not count the failure; left to the ack-wait redelivery');
      return { kind: 'abandon' };
    }
    this.ctx.metrics.commands.inc({ type: command.type, outcome: 'retry' });
    return { kind: 'retry', reason, failureCount };
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

  async onRetriesExhausted(msg: JsMsg, reason: string): Promise<void> {
    const decoded = decodeCommand(msg.data);
    if (!decoded.ok) return;
    const { command } = decoded;
    if (command.type === 'OpenPosition') {
      await this.open.giveUp(command.positionId, reason, this.log);
      return;
    }
    if (command.type === 'RestorePosition') {
      await this.ctx.relay.enqueue(
        this.ctx.alerts.build({
          kind: 'restore.retries_exhausted',
          severity: 'critical',
          summary: `The restore of position ${command.positionId} (plan ${command.planId}) gave up after every retry: ${reason}. Some trades may have been placed; check the position's legs and the exchange.`,
          positionId: command.positionId,
          accountId: null,
          dedupeKey: command.planId,
        }),
      );
      return;
    }
    const kind = command.type === 'ClosePosition' ? 'close' : 'rollback';
    const position = await this.ctx.positions.findById(command.positionId);
    const working = kind === 'close' ? 'CLOSING' : 'ROLLING_BACK';
    if (!position || position.status !== working) return;
    const why = `${kind} retries exhausted: ${reason}`;
    await this.ctx.positions.settle(
      command.positionId,
      kind === 'close' ? 'ACTIVE' : 'FAILED',
      why,
      undefined,
      [
        this.ctx.alerts.build({
          kind: `${kind}.retries_exhausted`,
          severity: 'critical',
          summary: `The ${kind} of position ${command.positionId} gave up after every retry (${reason}); its exposure may still be held. Check the exchange and retry the ${kind}.`,
          positionId: command.positionId,
          accountId: position.accountId,
          dedupeKey: `${command.positionId}:${kind}:${command.attempt}`,
        }),
      ],
      { failureCode: unwindFailureCode(kind, 'RETRIES_EXHAUSTED'), failureReason: why },
    );
    this.ctx.relay.kick();
  }

  async onTerminated(msg: JsMsg, reason: string): Promise<void> {
    this.ctx.metrics.commands.inc({ type: 'unknown', outcome: 'terminated' });
    this.log.error({ subject: msg.subject, seq: msg.info.streamSequence, reason }, 'poison command terminated');
    await this.ctx.relay.enqueue(
      this.ctx.alerts.build({
        kind: 'bus.poison_message',
        severity: 'warning',
        summary: `A message on ${msg.subject} (stream sequence ${msg.info.streamSequence}) could not be decoded and was removed: ${reason}`,
        positionId: null,
        accountId: null,
        details: { subject: msg.subject, streamSequence: msg.info.streamSequence, payload: msg.string().slice(0, 1024) },
        dedupeKey: `${msg.info.stream}:${msg.info.streamSequence}`,
      }),
    );
  }
}
