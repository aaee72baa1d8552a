import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { assertNotBusy, assertTransition, decideClaim, PositionStatus } from '@legwork/domain';
import type { Direction, LegSide, LiveBasket, PositionMode } from '@legwork/domain';
import { PositionComponentRecord, PositionRecord, PositionStatusChangeRecord } from '../records/position.records';
import { isUniqueViolation, PersistenceError } from '../persistence-error';
import { OutboxMessage, writeOutbox } from '@legwork/outbox';
import { lockPosition, updatePositionIfUnchanged } from './position-version';

export interface NewPosition {
  userId: string;
  accountId: string;
  indexId: string;
  direction: Direction;
  notionalUsdt: string;
  onPartialFailure: 'halt' | 'rollback';
  positionMode: PositionMode;
  idempotencyKey: string | null;
  /** SHA-256 of the canonical request body: the same Idempotency-Key with another body is refused. */
  requestSha256: string;
}

export type ClaimResult =
  | { kind: 'claimed'; position: PositionRecord }
  | { kind: 'resumed'; position: PositionRecord; previousOwner: string | null }
  | { kind: 'owned_elsewhere'; position: PositionRecord }
  | { kind: 'not_executable'; position: PositionRecord }
  | { kind: 'missing' };

export interface ComponentSnapshot {
  legIndex: number;
  symbol: string;
  side: LegSide;
  expectedQuantity: string;
  entryPrice: string;
}

/**
 * Positions and their status. Every status write goes through the domain transition table
 * ({@link assertTransition}) under a row lock, compares and bumps `version` (a lost update throws
 * `POSITION.VERSION_CONFLICT`, see {@link updatePositionIfUnchanged}) and appends to
 * `position_status_changes` in the same transaction.
 */
export class PositionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts a `PENDING` position and the command that will execute it in one transaction.
   * With an idempotency key already used by this user: returns the existing position
   * (`replayed: true`) when the request is the same, else throws `IDEMPOTENCY.KEY_REUSED`.
   *
   * With `admit`, the account's live positions are read under a transaction-scoped lock on the
   * account and handed to it before the insert; whatever it throws aborts the transaction, so two
   * requests accepted together are judged one after the other, each seeing the other.
   */
  async createPending(
    input: NewPosition,
    command: (positionId: string) => OutboxMessage,
    admit?: (live: LiveBasket[]) => void,
  ): Promise<{ position: PositionRecord; replayed: boolean }> {
    const existing = await this.findReplay(input);
    if (existing) return { position: existing, replayed: true };
    const id = randomUUID();
    try {
      // Plain SQL in one transaction: this is the accept path every open request takes.
      const position = await this.dataSource.transaction(async (m) => {
        if (admit) admit(await this.liveBaskets(m, input.accountId));
        const [row] = (await m.query(
          `INSERT INTO synthetic_positions (id, user_id, account_id, index_id, direction, notional_usdt, on_partial_failure, position_mode, idempotency_key, request_sha256, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PENDING') RETURNING created_at`,
          [
            id,
            input.userId,
            input.accountId,
            input.indexId,
            input.direction,
            input.notionalUsdt,
            input.onPartialFailure,
            input.positionMode,
            input.idempotencyKey,
            input.requestSha256,
          ],
        )) as { created_at: Date }[];
        await this.appendChange(m, id, null, 'PENDING', 'accepted');
        await this.enqueue(m, command(id));
        const at = row?.created_at ?? new Date();
        return m.create(PositionRecord, {
          ...input,
          id,
          status: 'PENDING',
          health: 'IN_SYNC',
          failureCode: null,
          failureReason: null,
          version: 1,
          closeAttempts: 0,
          rollbackAttempts: 0,
          restoreAttempts: 0,
          alteredSince: null,
          leaseOwner: null,
          leaseExpiresAt: null,
          createdAt: at,
          updatedAt: at,
        });
      });
      return { position, replayed: false };
    } catch (error) {
      // Two requests with one key raced: the loser answers with the winner's position.
      if (input.idempotencyKey && isUniqueViolation(error)) {
        const winner = await this.findReplay(input);
        if (winner) return { position: winner, replayed: true };
      }
      throw error;
    }
  }

  /** The account's positions that are not settled flat, with their basket symbols; locks the account (see createPending). */
  private async liveBaskets(m: EntityManager, accountId: string): Promise<LiveBasket[]> {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`accept:${accountId}`]);
    return (await m.query(
      `SELECT p.id AS "positionId", p.status, p.direction,
              ARRAY(SELECT c.symbol FROM index_components c WHERE c.index_id = p.index_id ORDER BY c.ordinal) AS symbols,
              EXISTS (SELECT 1 FROM orders o WHERE o.position_id = p.id AND o.purpose = 'open' AND o.status = 'FILLED') AS "holdsLegs"
       FROM synthetic_positions p
       WHERE p.account_id = $1 AND p.status NOT IN ('CLOSED', 'ROLLED_BACK')`,
      [accountId],
    )) as LiveBasket[];
  }

  private async findReplay(input: NewPosition): Promise<PositionRecord | null> {
    if (!input.idempotencyKey) return null;
    const found = await this.dataSource.getRepository(PositionRecord).findOneBy({
      userId: input.userId,
      idempotencyKey: input.idempotencyKey,
    });
    if (found && found.requestSha256 !== input.requestSha256) {
      throw new PersistenceError('IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was already used with a different request body', {
        positionId: found.id,
      });
    }
    return found;
  }

  findById(id: string): Promise<PositionRecord | null> {
    return this.dataSource.getRepository(PositionRecord).findOneBy({ id });
  }

  /** A user's own position, or null (another user's id looks exactly like a missing one). */
  findForUser(userId: string, id: string): Promise<PositionRecord | null> {
    return this.dataSource.getRepository(PositionRecord).findOneBy({ id, userId });
  }

  listForUser(userId: string | null, limit: number): Promise<PositionRecord[]> {
    return this.dataSource.getRepository(PositionRecord).find({
      where: userId ? { userId } : {},
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  history(positionId: string): Promise<PositionStatusChangeRecord[]> {
    return this.dataSource.getRepository(PositionStatusChangeRecord).find({
      where: { positionId },
      order: { id: 'ASC' },
    });
  }

  components(positionId: string): Promise<PositionComponentRecord[]> {
    return this.dataSource.getRepository(PositionComponentRecord).find({
      where: { positionId },
      order: { legIndex: 'ASC' },
    });
  }

  /**
   * Takes the working lease of a position for `owner` for `leaseMs`, as the domain's
   * `decideClaim` says under the row lock: `claimed` (status `start` moved to `working`),
   * `resumed` (the caller continues from its ledger), `owned_elsewhere` (a true duplicate),
   * `not_executable`, or `missing`.
   * @throws PersistenceError `POSITION.VERSION_CONFLICT` on a lost update
   */
  async claim(
    positionId: string,
    statuses: { start?: PositionStatus; working: PositionStatus },
    owner: string,
    leaseMs: number,
  ): Promise<ClaimResult> {
    return this.dataSource.transaction(async (m) => {
      const position = await this.lock(m, positionId);
      if (!position) return { kind: 'missing' } as const;
      const now = Date.now();
      const lease = { leaseOwner: owner, leaseExpiresAt: new Date(now + leaseMs) };
      switch (decideClaim(position, statuses, owner, new Date(now))) {
        case 'claim':
          await this.writeStatus(m, position, statuses.working, 'work started', lease);
          return { kind: 'claimed', position: await m.findOneByOrFail(PositionRecord, { id: positionId }) } as const;
        case 'not_executable':
          return { kind: 'not_executable', position } as const;
        case 'owned_elsewhere':
          return { kind: 'owned_elsewhere', position } as const;
        case 'resume':
          await updatePositionIfUnchanged(m, position, lease);
          return {
            kind: 'resumed',
            position: await m.findOneByOrFail(PositionRecord, { id: positionId }),
            previousOwner: position.leaseOwner,
          } as const;
      }
    });
  }

  /** Extends `owner`'s lease. @returns false when the lease is no longer `owner`'s (stop working). */
  async renewLease(positionId: string, owner: string, leaseMs: number): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(PositionRecord)
      .set({ leaseExpiresAt: new Date(Date.now() + leaseMs) })
      .where('id = :id AND lease_owner = :owner', { id: positionId, owner })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Gives the lease up without a status change (work on an ACTIVE position, e.g. a restore, is done). */
  async releaseLease(positionId: string, owner: string): Promise<void> {
    await this.dataSource
      .getRepository(PositionRecord)
      .update({ id: positionId, leaseOwner: owner }, { leaseOwner: null, leaseExpiresAt: null });
  }

  /**
   * `EXECUTING` → `ACTIVE` with the immutable component snapshot, atomically, only for the lease owner.
   * @throws PersistenceError `POSITION.LEASE_LOST` when another executor took the position over.
   */
  async markActive(positionId: string, owner: string, components: ComponentSnapshot[], messages: OutboxMessage[] = []): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const position = await this.lockOwned(m, positionId, owner);
      await m.insert(
        PositionComponentRecord,
        components.map((c) => ({ ...c, positionId })),
      );
      await this.writeStatus(m, position, 'ACTIVE', `all ${components.length} legs filled`, { leaseOwner: null, leaseExpiresAt: null });
      for (const message of messages) await this.enqueue(m, message);
    });
  }

  /**
   * Marks a position `FAILED` with a stable code and a readable reason (from `PENDING` or
   * `EXECUTING`; for `EXECUTING` only by the lease owner when `owner` is given), committing
   * `messages` (alerts, a follow-up command) in the same transaction.
   */
  async markFailed(
    positionId: string,
    failure: { code: string; reason: string },
    owner?: string,
    messages: OutboxMessage[] = [],
  ): Promise<void> {
    await this.settle(positionId, 'FAILED', failure.reason, owner, messages, { failureCode: failure.code, failureReason: failure.reason });
  }

  /**
   * Ends the work on a position: moves it to `to` (through the transition table), releases the
   * lease and commits `messages` with it. Only the lease owner may, when `owner` is given.
   * @throws PersistenceError `POSITION.LEASE_LOST`; DomainError `POSITION.ILLEGAL_TRANSITION`
   */
  async settle(
    positionId: string,
    to: PositionStatus,
    reason: string,
    owner: string | undefined,
    messages: OutboxMessage[] = [],
    fields: Partial<PositionRecord> = {},
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const position = owner ? await this.lockOwned(m, positionId, owner) : await this.lockOrFail(m, positionId);
      await this.writeStatus(m, position, to, reason, { ...fields, leaseOwner: null, leaseExpiresAt: null });
      for (const message of messages) await this.enqueue(m, message);
    });
  }

  /**
   * A user's close (`ACTIVE` → `CLOSING`) or rollback (`FAILED` → `ROLLING_BACK`) request, with its
   * command, in one transaction. A request while the same unwind is already under way replays it.
   * @returns null when the position is not the user's (or does not exist)
   * @throws DomainError `POSITION.ILLEGAL_TRANSITION` when the position cannot be unwound now, `POSITION.BUSY` while work holds its lease
   */
  async requestUnwind(
    positionId: string,
    userId: string | null,
    kind: 'close' | 'rollback',
    command: (attempt: number) => OutboxMessage,
  ): Promise<{ position: PositionRecord; replayed: boolean } | null> {
    return this.dataSource.transaction(async (m) => {
      const position = await this.lock(m, positionId);
      if (!position || (userId !== null && position.userId !== userId)) return null;
      const working: PositionStatus = kind === 'close' ? 'CLOSING' : 'ROLLING_BACK';
      if (position.status === working) return { position, replayed: true };
      assertNotBusy(position, new Date());
      await this.startUnwind(m, position, kind, command, `${kind} requested`);
      return { position: await m.findOneByOrFail(PositionRecord, { id: positionId }), replayed: false };
    });
  }

  /**
   * `EXECUTING` → `FAILED` → `ROLLING_BACK` in one transaction, for positions opened with
   * `onPartialFailure: "rollback"` (the failure is recorded, then the unwind requested).
   */
  async failAndRollBack(
    positionId: string,
    failure: { code: string; reason: string },
    owner: string,
    messages: OutboxMessage[],
    command: (attempt: number) => OutboxMessage,
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const position = await this.lockOwned(m, positionId, owner);
      await this.writeStatus(m, position, 'FAILED', failure.reason, {
        failureCode: failure.code,
        failureReason: failure.reason,
        leaseOwner: null,
        leaseExpiresAt: null,
      });
      for (const message of messages) await this.enqueue(m, message);
      const failed = await m.findOneByOrFail(PositionRecord, { id: positionId });
      await this.startUnwind(m, failed, 'rollback', command, 'automatic rollback (onPartialFailure: rollback)');
    });
  }

  private async startUnwind(
    m: EntityManager,
    position: PositionRecord,
    kind: 'close' | 'rollback',
    command: (attempt: number) => OutboxMessage,
    reason: string,
  ): Promise<void> {
    const attempt = kind === 'close' ? position.closeAttempts : position.rollbackAttempts;
    await this.writeStatus(m, position, kind === 'close' ? 'CLOSING' : 'ROLLING_BACK', reason, {
      ...(kind === 'close' ? { closeAttempts: attempt + 1 } : { rollbackAttempts: attempt + 1 }),
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    await this.enqueue(m, command(attempt));
  }

  private async enqueue(m: EntityManager, message: OutboxMessage): Promise<void> {
    await writeOutbox(m, message);
  }

  private lock(m: EntityManager, id: string): Promise<PositionRecord | null> {
    return lockPosition(m, id);
  }

  private async lockOrFail(m: EntityManager, id: string): Promise<PositionRecord> {
    const position = await this.lock(m, id);
    if (!position) throw new PersistenceError('POSITION.NOT_FOUND', `position ${id} does not exist`);
    return position;
  }

  private async lockOwned(m: EntityManager, id: string, owner: string): Promise<PositionRecord> {
    const position = await this.lockOrFail(m, id);
    if (position.leaseOwner !== owner) {
      throw new PersistenceError('POSITION.LEASE_LOST', `position ${id} is no longer leased to this executor`, {
        holder: position.leaseOwner,
      });
    }
    return position;
  }

  private async writeStatus(
    m: EntityManager,
    position: PositionRecord,
    to: PositionStatus,
    reason: string,
    fields: Partial<PositionRecord>,
  ): Promise<void> {
    assertTransition(position.status, to);
    await updatePositionIfUnchanged(m, position, { ...fields, status: to });
    await this.appendChange(m, position.id, position.status, to, reason);
  }

  private async appendChange(
    m: EntityManager,
    positionId: string,
    from: PositionStatus | null,
    to: PositionStatus,
    reason: string,
  ): Promise<void> {
    await m.query('INSERT INTO position_status_changes (position_id, from_status, to_status, reason) VALUES ($1, $2, $3, $4)', [
      positionId,
      from,
      to,
      reason,
    ]);
  }
}
