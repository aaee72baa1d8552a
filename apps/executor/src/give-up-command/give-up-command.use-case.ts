import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { TradeCommand } from '@legwork/messaging';
import { OpenPositionUseCase } from '../open-position/open-position.use-case';
import { ExecutorContext } from '../position-work/executor-context';
import { unwindFailureCode } from '../errors/execution-error-codes';

/**
 * A command whose transient failures ran past the last delay of the retry schedule: the work is
 * given up and someone is told. An open ends FAILED listing what it holds; a close returns to
 * ACTIVE and a rollback ends FAILED (the exposure may still be held; the operator retries); a
 * restore only alerts (some trades may have been placed). The message is removed once this returns;
 * a throw leaves it to the ack-wait redelivery, which gives up again.
 */
@Injectable()
export class GiveUpCommandUseCase {
  constructor(
    private readonly open: OpenPositionUseCase,
    private readonly ctx: ExecutorContext,
  ) {}

  /** @param reason the last failure's reason */
  async execute(command: TradeCommand, reason: string, log: Logger): Promise<void> {
    if (command.type === 'OpenPosition') {
      await this.open.giveUp(command.positionId, reason, log);
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
}
