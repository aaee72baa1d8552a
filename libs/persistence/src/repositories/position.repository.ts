import { DataSource, EntityManager } from 'typeorm';
import { assertNotBusy, assertTransition, decideClaim, PositionStatus } from '@legwork/domain';
import type { LegSide } from '@legwork/domain';
import { PositionComponentRecord, PositionRecord, PositionStatusChangeRecord } from '../records/position.records';
import { PersistenceError } from '../persistence-error';
import { OutboxMessage, writeOutbox } from '@legwork/outbox';
import { appendStatusChange, changeStatusIfStill, lockPosition, updatePositionIfUnchanged } from './position-version';
import { findReplay, NewPosition, PendingPosition, ReplayedPosition } from './pending-position';
import { positionPage, PositionPageKey } from './position-page';
import { RENEW_LEASE_SQL } from './position-lease-sql';

/** An unwind to request: its command, built for the position's attempt number `attempt` of that unwind. */
export interface UnwindRequest {
  attempt: number;
  command: OutboxMessage;
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
   * Step one of accepting an open request: answers an Idempotency-Key already used by this user
   * with its position (`replayed`), else begins the one transaction in which the caller judges
   * the request and commits it ({@link PendingPosition}).
   * @throws PersistenceError `IDEMPOTENCY.KEY_REUSED` when the key was used with another body
   */
  async beginPending(input: NewPosition): Promise<ReplayedPosition | PendingPosition> {
    const existing = await findReplay(this.dataSource, input);
    if (existing) return { kind: 'replayed', position: existing };
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
    } catch (error) {
      await runner.release();
      throw error;
    }
    return new PendingPosition(this.dataSource, runner, input);
  }

  /**
   * Inserts a `PENDING` position and `command` in one transaction, judging nothing against the
   * account's other positions (for that, {@link beginPending}). A replay answers as there.
   * @throws PersistenceError `IDEMPOTENCY.KEY_REUSED`
   */
  async createPending(input: NewPosition, command: OutboxMessage): Promise<{ position: PositionRecord; replayed: boolean }> {
    const pending = await this.beginPending(input);
    if (pending.kind === 'replayed') return { position: pending.position, replayed: true };
    return pending.commit(command);
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

  /** A page of a user's positions, newest first (see {@link positionPage}). */
  pageForUser(userId: string, limit: number, after: PositionPageKey | null): ReturnType<typeof positionPage> {
    return positionPage(this.dataSource, userId, limit, after);
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
    const lease = { leaseOwner: owner, leaseExpiresAt: new Date(Date.now() + leaseMs) };
    if (statuses.start) {
      // decideClaim's first rule (a position still at `start` is claimed) in one statement, the
      // claim every first delivery makes; any other state takes the locked path below.
      assertTransition(statuses.start, statuses.working);
      const change = { id: positionId, from: statuses.start, to: statuses.working, reason: 'work started', lease };
      const claimed = await changeStatusIfStill(this.dataSource.manager, change);
      if (claimed) return { kind: 'claimed', position: claimed };
    }
    return this.dataSource.transaction(async (m) => {
      const position = await this.lock(m, positionId);
      if (!position) return { kind: 'missing' } as const;
      switch (decideClaim(position, statuses, owner, new Date())) {
        case 'claim':
          return { kind: 'claimed', position: await this.writeStatus(m, position, statuses.working, 'work started', lease) } as const;
        case 'not_executable':
          return { kind: 'not_executable', position } as const;
        case 'owned_elsewhere':
          return { kind: 'owned_elsewhere', position } as const;
        case 'resume':
          return {
            kind: 'resumed',
            position: await updatePositionIfUnchanged(m, position, lease),
            previousOwner: position.leaseOwner,
          } as const;
      }
    });
  }

  /** Extends `owner`'s lease. @returns false when the lease is no longer `owner`'s (stop working). */
  async renewLease(positionId: string, owner: string, leaseMs: number): Promise<boolean> {
    // Plain SQL: renewed in the background and before a basket's first leg (between legs, with the ledger read: listRenewingLease).
    const [, affected] = (await this.dataSource.query(RENEW_LEASE_SQL, [positionId, owner, new Date(Date.now() + leaseMs)])) as [
      unknown,
      number,
    ];
    return affected > 0;
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
    const reason = `all ${components.length} legs filled`;
    const released = { leaseOwner: null, leaseExpiresAt: null };
    const columns = [
      components.map((c) => c.legIndex),
      components.map((c) => c.symbol),
      components.map((c) => c.side),
      components.map((c) => c.expectedQuantity),
      components.map((c) => c.entryPrice),
    ];
    if (messages.length === 0) {
      // The end of every filled basket in one statement: status, lease, history and components.
      const change = { id: positionId, from: 'EXECUTING' as const, to: 'ACTIVE' as const, reason, lease: released, heldBy: owner };
      const also = { sql: insertComponents('changed."id"', 8, 'changed, '), params: columns };
      if (await changeStatusIfStill(this.dataSource.manager, change, also)) return;
    }
    // With alerts to commit beside it, or when the position is not EXECUTING under this lease (the
    // locked path says why: not found, lease lost, or no such transition).
    await this.dataSource.transaction(async (m) => {
      const position = await this.lockOwned(m, positionId, owner);
      await m.query(insertComponents('$1::uuid', 2), [positionId, ...columns]);
      await this.writeStatus(m, position, 'ACTIVE', reason, released);
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
   * command, in one transaction. A request while the same unwind is already under way replays it
   * (and `unwind` is not written).
   * @param unwind the command, built for the position's next attempt of `kind` (its close or
   *   rollback attempts as the caller read them)
   * @returns null when the position is not the user's (or does not exist)
   * @throws DomainError `POSITION.ILLEGAL_TRANSITION` when the position cannot be unwound now, `POSITION.BUSY` while work holds its lease;
   *   PersistenceError `POSITION.VERSION_CONFLICT` when the attempt count moved since the caller read it (read again)
   */
  async requestUnwind(
    positionId: string,
    userId: string | null,
    kind: 'close' | 'rollback',
    unwind: UnwindRequest,
  ): Promise<{ position: PositionRecord; replayed: boolean } | null> {
    return this.dataSource.transaction(async (m) => {
      const position = await this.lock(m, positionId);
      if (!position || (userId !== null && position.userId !== userId)) return null;
      const working: PositionStatus = kind === 'close' ? 'CLOSING' : 'ROLLING_BACK';
      if (position.status === working) return { position, replayed: true };
      assertNotBusy(position, new Date());
      await this.startUnwind(m, position, kind, unwind, `${kind} requested`);
      return { position: await m.findOneByOrFail(PositionRecord, { id: positionId }), replayed: false };
    });
  }

  /**
   * `EXECUTING` → `FAILED` → `ROLLING_BACK` in one transaction, for positions opened with
   * `onPartialFailure: "rollback"` (the failure is recorded, then the unwind requested with `rollback`).
   * @throws PersistenceError `POSITION.LEASE_LOST`, `POSITION.VERSION_CONFLICT` (see {@link requestUnwind})
   */
  async failAndRollBack(
    positionId: string,
    failure: { code: string; reason: string },
    owner: string,
    messages: OutboxMessage[],
    rollback: UnwindRequest,
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
      await this.startUnwind(m, failed, 'rollback', rollback, 'automatic rollback (onPartialFailure: rollback)');
    });
  }

  private async startUnwind(
    m: EntityManager,
    position: PositionRecord,
    kind: 'close' | 'rollback',
    unwind: UnwindRequest,
    reason: string,
  ): Promise<void> {
    const attempt = kind === 'close' ? position.closeAttempts : position.rollbackAttempts;
    if (unwind.attempt !== attempt) {
      throw new PersistenceError(
        'POSITION.VERSION_CONFLICT',
        `position ${position.id} is at ${kind} attempt ${attempt}, not ${unwind.attempt} as read; the ${kind} was not requested`,
        { positionId: position.id, attemptRead: unwind.attempt, attemptNow: attempt },
      );
    }
    await this.writeStatus(m, position, kind === 'close' ? 'CLOSING' : 'ROLLING_BACK', reason, {
      ...(kind === 'close' ? { closeAttempts: attempt + 1 } : { rollbackAttempts: attempt + 1 }),
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    await this.enqueue(m, unwind.command);
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

  /** @returns the position as written */
  private async writeStatus(
    m: EntityManager,
    position: PositionRecord,
    to: PositionStatus,
    reason: string,
    fields: Partial<PositionRecord>,
  ): Promise<PositionRecord> {
    assertTransition(position.status, to);
    const written = await updatePositionIfUnchanged(m, position, { ...fields, status: to });
    await appendStatusChange(m, position.id, position.status, to, reason);
    return written;
  }
}

/**
 * The INSERT of a position's components from five arrays (leg index, symbol, side, expected
 * quantity, entry price: parameters `$first`…`$first+4`) — one statement for every leg.
 * @param positionId an SQL expression of the position's id
 * @param joined a FROM item (with its trailing comma) the id comes from, e.g. the CTE of the written position (none: no row)
 */
function insertComponents(positionId: string, first: number, joined = ''): string {
  const [legIndex, symbol, side, quantity, price] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
  return `INSERT INTO position_components (position_id, leg_index, symbol, side, expected_quantity, entry_price)
          SELECT ${positionId}, leg.* FROM ${joined}unnest(${legIndex}::int[], ${symbol}::text[], ${side}::text[], ${quantity}::numeric[], ${price}::numeric[]) AS leg`;
}
