import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DeliveryContext, TradeCommand } from '@legwork/messaging';
import { CommandFailureRepository, PersistenceError } from '@legwork/persistence';
import { TransientExecutionError } from '../leg-execution/transient-error';
import { ExecutionFailureCode } from '../errors/execution-error-codes';
import type { HandledCommand } from './trade-commands.transport';

/**
 * Counts a command's failed delivery in PostgreSQL (`command_failures`) and asks for the retry
 * its count gives: the retry schedule is applied to that count, not to JetStream's delivery count
 * (which a crash's redelivery raises too), so a crash never costs a retry (issue 11).
 */
@Injectable()
export class CommandFailureCounter {
  constructor(private readonly failures: CommandFailureRepository) {}

  /**
   * A delivery whose work failed: counts the failure durably, and asks for the retry its count
   * gives. Counted here, once per delivery, and nowhere else: a delivery cut short by a crash or
   * an ack timeout never gets here, so it costs no retry and does not shift the schedule.
   * A crash after the count and before the consumer's nak leaves this failure counted once (it
   * happened) and the message to the ack-wait redelivery, which counts only if it fails too.
   */
  async retry(command: TradeCommand, delivery: DeliveryContext, error: unknown, log: Logger): Promise<HandledCommand> {
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
      return { kind: 'abandon', commandType: command.type, outcome: null };
    }
    return { kind: 'retry', reason, failureCount, commandType: command.type, outcome: 'retry' };
  }
}
