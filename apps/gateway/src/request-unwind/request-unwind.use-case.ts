import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@legwork/domain';
import { busNames, ClosePositionCommand, OutboxRelay, RollbackPositionCommand } from '@legwork/messaging';
import { PositionRepository } from '@legwork/persistence';
import { ApplicationError } from '../errors/application-error';

/**
 * A user's close (`ACTIVE` → `CLOSING`) or rollback (`FAILED` → `ROLLING_BACK`) request: the
 * transition and its command are committed together; the executor does the trading.
 * Asking again while the same unwind is under way answers with it (no second command).
 */
@Injectable()
export class RequestUnwindUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly relay: OutboxRelay,
  ) {}

  /** @throws ApplicationError `POSITION.NOT_FOUND`, `POSITION.NOT_CLOSABLE` / `POSITION.NOT_ROLLBACKABLE` */
  async execute(principal: { userId: string }, positionId: string, kind: 'close' | 'rollback') {
    const subject = busNames(this.relay.namespace).commandSubject(kind === 'close' ? 'ClosePosition' : 'RollbackPosition');
    try {
      const result = await this.positions.requestUnwind(positionId, principal.userId, kind, (attempt) => {
        const base = { schemaVersion: 1 as const, commandId: randomUUID(), positionId, attempt, issuedAt: new Date().toISOString() };
        const command: ClosePositionCommand | RollbackPositionCommand =
          kind === 'close' ? { ...base, type: 'ClosePosition' } : { ...base, type: 'RollbackPosition' };
        return { msgId: command.commandId, subject, payload: command };
      });
      if (!result) throw new ApplicationError('POSITION.NOT_FOUND', `position ${positionId} not found`);
      if (!result.replayed) this.relay.kick();
      return { positionId, status: result.position.status, replayed: result.replayed };
    } catch (error) {
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
