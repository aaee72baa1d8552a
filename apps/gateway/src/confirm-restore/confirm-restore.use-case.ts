import { Injectable } from '@nestjs/common';
import { PositionRepository, Principal, RestorePlanRepository } from '@legwork/persistence';
import { ApplicationError } from '../errors/application-error';
import { ExecutorClient } from '../executor-requests/executor-client';
import type { RestoreStarted } from '../plan-restore/plan-restore.schema';

/**
 * "Restore balance", its confirmation: the user confirms a plan they were shown
 * (`PlanRestoreUseCase`) by its id. The gateway checks what it can see (the user's position, the
 * plan is that position's); the executor checks the plan against the exchange now and starts it
 * (`StartRestoreUseCase`) within a bounded request — a plan whose exchange snapshot no longer
 * matches is refused: the user confirms what they saw, or nothing. The executor checks again
 * under the position's lease before the first trade.
 */
@Injectable()
export class ConfirmRestoreUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly plans: RestorePlanRepository,
    private readonly executor: ExecutorClient,
  ) {}

  /**
   * Starts a confirmed plan. @returns `{positionId, status: "ACTIVE", restore: {planId, state: "executing", leverageResets, trades}}`:
   * `status` is the position's real status (ACTIVE); the restore's own progress is its orders
   * (`purpose: "restore"` legs) and the position's `health` after the follow-up reconciliation.
   * @throws ApplicationError `POSITION.NOT_FOUND`, `RESTORE.PLAN_NOT_FOUND`, `ACCOUNT.NOT_FOUND`, `RESTORE.PLAN_STALE` (the exchange moved since the preview),
   *   `EXECUTOR.UNAVAILABLE`; DomainError / PersistenceError `RESTORE.PLAN_USED`, `RESTORE.PLAN_EXPIRED`, `POSITION.BUSY`, `POSITION.NOT_ACTIVE`
   */
  async execute(principal: Principal, positionId: string, planId: string): Promise<RestoreStarted> {
    const position = await this.positions.findForUser(principal.userId, positionId);
    if (!position) throw new ApplicationError('POSITION.NOT_FOUND', `position ${positionId} not found`);
    const plan = await this.plans.find(planId);
    if (!plan || plan.positionId !== positionId)
      throw new ApplicationError('RESTORE.PLAN_NOT_FOUND', `restore plan ${planId} not found for this position`, 'planId');
    const started = await this.executor.ask({ schemaVersion: 1, type: 'StartRestore', positionId, planId });
    // A restore is not a position status: the position stays ACTIVE while its trades run (the
    // executor started the plan only under lock on an ACTIVE position), so the restore is its own
    // field, with the plan's own state (`executing`).
    return {
      positionId,
      status: 'ACTIVE' as const,
      restore: { planId, state: started.state, leverageResets: started.leverageResets, trades: started.trades },
    };
  }
}
