import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { assertNotBusy, restorePlanPredecessors, type RestorePlanStatus } from '@legwork/domain';
import { lockExistingPosition } from './position-version';
import { PositionRecord } from '../records/position.records';
import { RestorePlanRecord } from '../records/scan.records';
import { PersistenceError } from '../persistence-error';
import { OutboxMessage, writeOutbox } from '@legwork/outbox';

/** "Restore balance" plans: proposed with an exchange snapshot, executed at most once. */
export class RestorePlanRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a proposed plan for `positionId`, valid for `ttlMs`; `leverageResets` run before the trades. */
  async propose(
    positionId: string,
    trades: RestorePlanRecord['trades'],
    exchangeSnapshot: Record<string, string>,
    ttlMs: number,
    leverageResets: RestorePlanRecord['leverageResets'] = [],
  ): Promise<RestorePlanRecord> {
    return this.dataSource.transaction(async (m) => {
      const position = await lockExistingPosition(m, positionId);
      const plan = m.create(RestorePlanRecord, {
        id: randomUUID(),
        positionId,
        trades,
        exchangeSnapshot,
        leverageResets,
        status: 'proposed',
        attempt: position.restoreAttempts,
        expiresAt: new Date(Date.now() + ttlMs),
      });
      await m.update(PositionRecord, { id: positionId }, { restoreAttempts: position.restoreAttempts + 1 });
      await m.insert(RestorePlanRecord, { ...plan, createdAt: new Date() } as RestorePlanRecord);
      return m.findOneByOrFail(RestorePlanRecord, { id: plan.id });
    });
  }

  find(planId: string): Promise<RestorePlanRecord | null> {
    return this.dataSource.getRepository(RestorePlanRecord).findOneBy({ id: planId });
  }

  /**
   * `proposed` → `executing` with its command, in one transaction, under the position's row lock;
   * refuses a plan that is not the position's, or a position that is busy or not ACTIVE. Whether
   * the plan may still run (not used, not expired) is the caller's check
   * (`assertRestorePlanExecutable`); the guarded write only stops a second start racing this one.
   * @throws PersistenceError `RESTORE.PLAN_NOT_FOUND` | `RESTORE.PLAN_USED` | `POSITION.NOT_ACTIVE`; DomainError `POSITION.BUSY`
   */
  async startExecution(positionId: string, planId: string, command: OutboxMessage): Promise<RestorePlanRecord> {
    return this.dataSource.transaction(async (m) => {
      const position = await lockExistingPosition(m, positionId);
      const plan = await m.findOneBy(RestorePlanRecord, { id: planId, positionId });
      if (!plan) throw new PersistenceError('RESTORE.PLAN_NOT_FOUND', `restore plan ${planId} not found for this position`);
      if (position.status !== 'ACTIVE')
        throw new PersistenceError('POSITION.NOT_ACTIVE', `only an ACTIVE position can be restored; this one is ${position.status}`);
      assertNotBusy(position, new Date());
      await this.writeStatus(m, planId, 'executing');
      await writeOutbox(m, command);
      return m.findOneByOrFail(RestorePlanRecord, { id: planId });
    });
  }

  /**
   * Settles a plan: `executed` (from `executing`, by the executor), `refused` (from `proposed`,
   * the exchange moved since its snapshot) or `stale` (from `executing`: the executor found the
   * same under the lease before the first trade), with `messages` in the same transaction.
   * @throws PersistenceError `RESTORE.PLAN_USED` when the plan is not in a predecessor status
   */
  async finish(planId: string, status: 'executed' | 'refused' | 'stale', messages: OutboxMessage[] = []): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.writeStatus(m, planId, status);
      for (const message of messages) await writeOutbox(m, message);
    });
  }

  /**
   * The one place `restore_plans.status` is written: `to` only from its predecessors in the
   * domain's table, so a plan runs at most once even when two requests race.
   * @throws PersistenceError `RESTORE.PLAN_USED` naming the plan's current status and the refused
   *   transition; `RESTORE.PLAN_NOT_FOUND` when no such plan exists
   */
  private async writeStatus(m: EntityManager, planId: string, to: RestorePlanStatus): Promise<void> {
    const [, affected] = (await m.query('UPDATE restore_plans SET status = $2 WHERE id = $1 AND status = ANY($3)', [
      planId,
      to,
      restorePlanPredecessors(to),
    ])) as [unknown, number];
    if (affected > 0) return;
    const current = await m.findOneBy(RestorePlanRecord, { id: planId });
    if (!current) throw new PersistenceError('RESTORE.PLAN_NOT_FOUND', `restore plan ${planId} not found`);
    throw new PersistenceError('RESTORE.PLAN_USED', `restore plan ${planId} is already ${current.status}; it cannot go to ${to}`, {
      planId,
      from: current.status,
      to,
    });
  }
}
