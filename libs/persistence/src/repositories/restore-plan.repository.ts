import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PositionRecord } from '../records/position.records';
import { RestorePlanRecord } from '../records/scan.records';
import { PersistenceError } from '../persistence-error';
import { OutboxMessage, writeOutbox } from './outbox-writer';

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
      const position = await m.getRepository(PositionRecord).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id: positionId }).getOneOrFail();
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
   * `proposed` → `executing` with its command, in one transaction; refuses a plan that is not the
   * position's, not proposed any more, expired, or a position that is busy or not ACTIVE.
   * @throws PersistenceError `RESTORE.PLAN_NOT_FOUND` | `RESTORE.PLAN_USED` | `RESTORE.PLAN_EXPIRED` | `POSITION.BUSY` | `POSITION.NOT_ACTIVE`
   */
  async startExecution(positionId: string, planId: string, command: OutboxMessage): Promise<RestorePlanRecord> {
    return this.dataSource.transaction(async (m) => {
      const position = await m.getRepository(PositionRecord).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id: positionId }).getOneOrFail();
      const plan = await m.findOneBy(RestorePlanRecord, { id: planId, positionId });
      if (!plan) throw new PersistenceError('RESTORE.PLAN_NOT_FOUND', `restore plan ${planId} not found for this position`);
      if (plan.status !== 'proposed') throw new PersistenceError('RESTORE.PLAN_USED', `restore plan ${planId} is already ${plan.status}`);
      if (plan.expiresAt.getTime() < Date.now()) throw new PersistenceError('RESTORE.PLAN_EXPIRED', `restore plan ${planId} expired at ${plan.expiresAt.toISOString()}; ask for a new one`);
      if (position.status !== 'ACTIVE') throw new PersistenceError('POSITION.NOT_ACTIVE', `only an ACTIVE position can be restored; this one is ${position.status}`);
      if (position.leaseExpiresAt && position.leaseExpiresAt.getTime() > Date.now()) {
        throw new PersistenceError('POSITION.BUSY', 'an operation on this position is in progress; try again when it is done');
      }
      await m.update(RestorePlanRecord, { id: planId }, { status: 'executing' });
      await writeOutbox(m, command);
      return m.findOneByOrFail(RestorePlanRecord, { id: planId });
    });
  }

  async finish(planId: string, status: 'executed' | 'refused', messages: OutboxMessage[] = []): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.update(RestorePlanRecord, { id: planId }, { status });
      for (const message of messages) await writeOutbox(m, message);
    });
  }
}
