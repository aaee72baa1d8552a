import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { describeRestorePlanDrift } from '@legwork/domain';
import type { ExchangePort } from '@legwork/exchange';
import { PositionRecord, RestorePlanRecord, RestorePlanRepository } from '@legwork/persistence';
import { ExecutorContext } from '../position-work/executor-context';
import { exchangeDrift } from './restore-exchange';

/**
 * The stale-plan check that decides, run under the position's lease before a restore plan's
 * first trade: a plan is made for the exchange as the user saw it, so if its snapshot no longer
 * matches (a manual trade since the confirmation, or another plan of the same position confirmed
 * alongside it and executed first) it is dropped — `executing → stale` — and nothing is traded.
 * The confirmation checks the same (`StartRestoreUseCase`) to answer the user at once, but only
 * here no other work of Legwork's can move the position between the check and the trades.
 * Once the plan has restore legs the exchange has moved by its own trades: a redelivery resumes.
 */
@Injectable()
export class StalePlanGuard {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly plans: RestorePlanRepository,
  ) {}

  /**
   * Source of "the exchange now": the account's position list for the position's symbols.
   * @returns true when the plan was found stale (alert `restore.refused` committed with it, lease released)
   */
  async refuseIfMoved(
    position: PositionRecord,
    plan: RestorePlanRecord,
    exchange: ExchangePort,
    leaseOwner: string,
    log: Logger,
  ): Promise<boolean> {
    if ((await this.ctx.ledger.list(position.id, 'restore', plan.attempt)).length > 0) return false;
    const symbols = (await this.ctx.positions.components(position.id)).map((c) => c.symbol);
    const drift = await exchangeDrift(exchange, symbols, plan.exchangeSnapshot);
    if (drift.length === 0) return false;
    const reason = describeRestorePlanDrift(drift);
    const alert = this.ctx.alerts.build({
      kind: 'restore.refused',
      severity: 'warning',
      summary: `Restore of position ${position.id} refused before its first trade: ${reason}. Nothing was traded; the position stays ALTERED.`,
      positionId: position.id,
      accountId: position.accountId,
      dedupeKey: plan.id,
    });
    await this.plans.finish(plan.id, 'stale', [alert]);
    await this.ctx.positions.releaseLease(position.id, leaseOwner);
    this.ctx.relay.kick();
    log.warn({ drift }, 'restore plan stale under the lease: the exchange moved since its snapshot');
    return true;
  }
}
