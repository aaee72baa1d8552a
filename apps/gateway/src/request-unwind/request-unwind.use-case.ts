import { Injectable } from '@nestjs/common';
import { DomainError } from '@legwork/domain';
import { commandMessage } from '@legwork/messaging';
import { OutboxRelay } from '@legwork/outbox';
import { PersistenceError, PositionRepository } from '@legwork/persistence';
import { ApplicationError } from '../errors/application-error';
import { currentRequest } from '../request-context';
import type { UnwindAccepted } from './request-unwind.schema';

/** Reads before giving up when the position's attempt count moves between the read and the write (another unwind ended in between). */
const MAX_READS = 3;

/**
 * A user's close (`ACTIVE` → `CLOSING`) or rollback (`FAILED` → `ROLLING_BACK`) request: the
 * transition and its command are committed together; the executor does the trading.
 * Asking again while the same unwind is under way answers with it (no second command).
 * The command carries the attempt number read here; the repository writes it only if that is
 * still the position's next attempt, else this reads again.
 */
@Injectable()
export class RequestUnwindUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly relay: OutboxRelay,
  ) {}

  /** @throws ApplicationError `POSITION.NOT_FOUND`, `POSITION.NOT_CLOSABLE` / `POSITION.NOT_ROLLBACKABLE` */
  async execute(
    principal: { userId: string },
    positionId: string,
    kind: 'close' | 'rollback',
  ): Promise<UnwindAccepted & { replayed: boolean }> {
    for (let read = 1; ; read++) {
      const position = await this.positions.findForUser(principal.userId, positionId);
      if (!position) throw new ApplicationError('POSITION.NOT_FOUND', `position ${positionId} not found`);
      const attempt = kind === 'close' ? position.closeAttempts : position.rollbackAttempts;
      const request = currentRequest();
      const commandType = kind === 'close' ? 'ClosePosition' : 'RollbackPosition';
      const command = commandMessage(this.relay.namespace, commandType, { positionId, attempt }, new Date(), {
        requestId: request?.requestId,
      });
      try {
        const result = await this.positions.requestUnwind(positionId, principal.userId, kind, { attempt, command });
        if (!result) throw new ApplicationError('POSITION.NOT_FOUND', `position ${positionId} not found`);
        if (!result.replayed) {
          this.relay.kick();
          request?.log.info({ positionId, commandId: command.msgId, commandType, attempt }, `${kind} accepted; command queued`);
        }
        return { positionId, status: result.position.status, replayed: result.replayed };
      } catch (error) {
        if (error instanceof PersistenceError && error.code === 'POSITION.VERSION_CONFLICT' && read < MAX_READS) continue;
        if (error instanceof DomainError && error.code === 'POSITION.ILLEGAL_TRANSITION') {
          const from = String(error.details['from']);
          throw kind === 'close'
            ? new ApplicationError('POSITION.NOT_CLOSABLE', `only an ACTIVE position can be closed; this one is ${from}`)
            : new ApplicationError('POSITION.NOT_ROLLBACKABLE', `only a FAILED position can be rolled back; this one is ${from}`);
        }
        throw error;
      }
    }
  }
}
