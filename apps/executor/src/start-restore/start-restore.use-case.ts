import { Inject, Injectable } from '@nestjs/common';
import { assertRestorePlanExecutable, describeRestorePlanDrift } from '@legwork/domain';
import { AccountExchangeConnector } from '@legwork/exchange-accounts';
import { commandMessage, type StartedRestore } from '@legwork/messaging';
import { OutboxRelay } from '@legwork/outbox';
import { PositionRepository, RestorePlanRepository } from '@legwork/persistence';
import { EXECUTOR_SETTINGS, ExecutorSettings } from '../executor.settings';
import { RequestRefusedError } from '../errors/request-refused-error';
import { exchangeDrift, requestExchange } from '../restore-position/restore-exchange';

/**
 * "Restore balance", its confirmation: starts a proposed plan — its `RestorePosition` command
 * goes out through the outbox with the plan's move to `executing` — if the exchange still
 * matches the plan's snapshot; otherwise the plan is refused and the user asks for a new one
 * (they confirm what they saw, or nothing). Asked by the gateway (a bounded request), so the
 * user hears "stale" at once. The same check runs again under the position's lease before the
 * plan's first trade (`RestorePositionUseCase`): this one answers the user, that one decides.
 */
@Injectable()
export class StartRestoreUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly plans: RestorePlanRepository,
    private readonly accounts: AccountExchangeConnector,
    private readonly relay: OutboxRelay,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
  ) {}

  /**
   * Source of "the exchange now": the account's position list for the position's symbols.
   * @returns the plan's state (`executing`) and what will run
   * @throws RequestRefusedError `POSITION.NOT_FOUND`, `RESTORE.PLAN_NOT_FOUND`, `ACCOUNT.NOT_FOUND`, `ACCOUNT.KEY_REFUSED`,
   *   `RESTORE.PLAN_STALE` (the exchange moved since the preview; the plan is now `refused`);
   *   DomainError / PersistenceError `RESTORE.PLAN_USED`, `RESTORE.PLAN_EXPIRED` (see assertRestorePlanExecutable),
   *   `POSITION.NOT_ACTIVE`, `POSITION.BUSY`; ExchangeUnavailableError when the exchange cannot be read
   */
  async execute(positionId: string, planId: string): Promise<StartedRestore> {
    const position = await this.positions.findById(positionId);
    if (!position) throw new RequestRefusedError('POSITION.NOT_FOUND', `position ${positionId} not found`);
    const plan = await this.plans.find(planId);
    if (!plan || plan.positionId !== positionId)
      throw new RequestRefusedError('RESTORE.PLAN_NOT_FOUND', `restore plan ${planId} not found for this position`, 'planId');
    const symbols = (await this.positions.components(positionId)).map((c) => c.symbol);
    const drift = await exchangeDrift(await requestExchange(this.accounts, position.accountId), symbols, plan.exchangeSnapshot);
    if (drift.length > 0) {
      await this.plans.finish(planId, 'refused');
      throw new RequestRefusedError('RESTORE.PLAN_STALE', describeRestorePlanDrift(drift), 'planId');
    }
    assertRestorePlanExecutable(plan, new Date());
    const started = await this.plans.startExecution(
      positionId,
      planId,
      commandMessage(this.settings.namespace, 'RestorePosition', { positionId, planId }),
    );
    this.relay.kick();
    return { state: started.status, leverageResets: plan.leverageResets, trades: plan.trades };
  }
}
