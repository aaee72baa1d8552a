import { Injectable } from '@nestjs/common';
import { PositionRepository, Principal } from '@legwork/persistence';
import { ApplicationError } from '../errors/application-error';
import { ExecutorClient } from '../executor-requests/executor-client';
import type { RestorePlan } from './plan-restore.schema';

/**
 * "Restore balance" (seed 000), the preview a user asks for: the exact trades that bring an
 * altered position back to its recorded components (and the symbols to set back to 1x, seed 001).
 * The gateway checks what it can see (the user's position, ACTIVE); the plan itself needs the
 * exchange, so the executor makes and stores it (`BuildRestorePlanUseCase`) within a bounded
 * request. The user confirms it with `ConfirmRestoreUseCase`.
 */
@Injectable()
export class PlanRestoreUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly executor: ExecutorClient,
  ) {}

  /**
   * @returns `{planId, positionId, leverageResets, trades, skipped, exchangePositions, expiresAt}`
   * @throws ApplicationError `POSITION.NOT_FOUND`, `POSITION.NOT_ACTIVE`, `ACCOUNT.NOT_FOUND`, `EXECUTOR.UNAVAILABLE`;
   *   ExecutorRequestFailedError when the exchange could not be read (500)
   */
  async plan(principal: Principal, positionId: string): Promise<RestorePlan> {
    const position = await this.positions.findForUser(principal.userId, positionId);
    if (!position) throw new ApplicationError('POSITION.NOT_FOUND', `position ${positionId} not found`);
    if (position.status !== 'ACTIVE')
      throw new ApplicationError('POSITION.NOT_ACTIVE', `only an ACTIVE position can be restored; this one is ${position.status}`);
    return this.executor.ask({ schemaVersion: 1, type: 'PlanRestore', positionId });
  }
}
