import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { hedgeSideOfOrder, RESTORE_BASKET_POLICY } from '@legwork/domain';
import { encodeOrderLinkId } from '@legwork/exchange';
import { OutboxMessage, scanJobMessage } from '@legwork/messaging';
import { PositionRecord, RestorePlanRepository } from '@legwork/persistence';
import { BasketRunner } from '../basket-runner/basket-runner';
import { AccountExchanges } from '../position-work/account-exchanges';
import { ExecutorContext } from '../position-work/executor-context';
import { Delivery, Lease, PositionLease } from '../position-work/position-lease';
import { setOneX } from '../open-position/leverage-pre-check';
import { StalePlanGuard } from './stale-plan-guard';

/**
 * Executes a confirmed "Restore balance" plan on an ACTIVE position, under the position's lease
 * — refused untraded if the exchange moved since its snapshot (`StalePlanGuard`), else first its "set leverage back to 1x" steps (a leverage changed by hand), then its trades —
 * (no close can start meanwhile), with the same exactly-once and verification rules as any leg:
 * deterministic `orderLinkId`s (from the plan id), ledger first, settle by lookup on redelivery.
 * A failed trade does not stop the others; it is reported. Then a reconciliation of the account
 * is requested at once so the position's health reflects the result.
 */
@Injectable()
export class RestorePositionUseCase {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly lease: PositionLease,
    private readonly plans: RestorePlanRepository,
    private readonly exchanges: AccountExchanges,
    private readonly baskets: BasketRunner,
    private readonly stalePlans: StalePlanGuard,
  ) {}

  async execute(positionId: string, planId: string, delivery: Delivery, log: Logger): Promise<string> {
    const outcome = await this.lease.run(positionId, { working: 'ACTIVE' }, delivery, log.child({ positionId }), (position, lease) =>
      this.run(position, planId, lease, log.child({ positionId, planId, owner: lease.owner })),
    );
    return outcome.kind === 'ran' ? outcome.result : outcome.kind;
  }

  private async run(position: PositionRecord, planId: string, lease: Lease, log: Logger): Promise<string> {
    const plan = await this.plans.find(planId);
    if (!plan || plan.status !== 'executing') {
      await this.ctx.positions.releaseLease(position.id, lease.owner);
      return 'already_settled';
    }
    const exchange = await this.exchanges.forAccount(position.accountId);
    if ('failure' in exchange) throw new Error(exchange.failure.reason);
    if (await this.stalePlans.refuseIfMoved(position, plan, exchange.port, lease.owner, log)) return 'restore_refused';
    // Before the trades, so that a trade restoring size is placed at 1x too; repeating it on a
    // redelivery is harmless ("not modified" is success).
    const leverageFailures: string[] = [];
    for (const reset of plan.leverageResets) {
      await lease.renew();
      const refused = await setOneX(exchange.port, reset.symbol, reset.fromLeverage, log);
      if (refused !== null) leverageFailures.push(`${reset.description} failed (${refused})`);
    }
    let legs = await this.ctx.ledger.list(position.id, 'restore', plan.attempt);
    if (legs.length === 0 && plan.trades.length > 0) {
      legs = await this.ctx.ledger.plan(
        position,
        'restore',
        plan.attempt,
        plan.trades.map((t) => ({
          legIndex: t.legIndex,
          orderLinkId: encodeOrderLinkId({ ownerId: planId, purpose: 'restore', attempt: 0, legIndex: t.legIndex }),
          symbol: t.symbol,
          side: t.side,
          quantity: t.quantity,
          reduceOnly: t.reduceOnly,
          plannedMarkPrice: null,
          hedgeSide: hedgeSideOfOrder(position.positionMode, t.side, t.reduceOnly),
        })),
      );
    }
    // A rejected restore trade does not stop the others (they are independent corrections).
    const { legs: worked } = await this.baskets.run(
      {
        positionId: position.id,
        purpose: 'restore',
        attempt: plan.attempt,
        legs,
        policy: RESTORE_BASKET_POLICY,
        exchange: exchange.port,
        lease,
      },
      log,
    );
    const failed = [
      ...leverageFailures,
      ...worked
        .filter((l) => l.status === 'REJECTED')
        .map((l) => `${l.side} ${l.quantity} ${l.symbol} failed (${l.rejectReason ?? l.rejectCode})`),
    ];
    const messages: OutboxMessage[] = [this.reconcileNow(position.accountId)];
    if (failed.length > 0) {
      messages.push(
        this.ctx.alerts.build({
          kind: 'restore.failed',
          severity: 'warning',
          summary: `Restore of position ${position.id}: ${failed.join('; ')}. The position stays ALTERED.`,
          positionId: position.id,
          accountId: position.accountId,
          dedupeKey: planId,
        }),
      );
    }
    await this.plans.finish(planId, 'executed', messages);
    await this.ctx.positions.releaseLease(position.id, lease.owner);
    this.ctx.relay.kick();
    log.info({ leverageResets: plan.leverageResets.length, trades: worked.length, failed: failed.length }, 'restore plan executed');
    return failed.length > 0 ? 'restore_partial' : 'restored';
  }

  /** A reconciliation job for the account now (its own window), so health updates without waiting for the cron. */
  private reconcileNow(accountId: string): OutboxMessage {
    return scanJobMessage(this.ctx.settings.namespace, 'reconcile', accountId, new Date());
  }
}
