import { DataSource, QueryRunner } from 'typeorm';
import type { Direction, Legging, LiveBasket, PositionMode } from '@legwork/domain';
import { OutboxMessage, outboxInsert } from '@legwork/outbox';
import { PositionRecord } from '../records/position.records';
import { isUniqueViolation, PersistenceError } from '../persistence-error';

export interface NewPosition {
  /** Chosen by the caller (a UUID), so the command committed with the row can name it. */
  id: string;
  userId: string;
  accountId: string;
  indexId: string;
  direction: Direction;
  notionalUsdt: string;
  onPartialFailure: 'halt' | 'rollback';
  /** Resolved: the request's, else the index's default, else the global default. */
  legging: Legging;
  positionMode: PositionMode;
  idempotencyKey: string | null;
  /** SHA-256 of the canonical request body: the same Idempotency-Key with another body is refused. */
  requestSha256: string;
}

/** A position that already answers this request (same user, Idempotency-Key and body). */
export interface ReplayedPosition {
  kind: 'replayed';
  position: PositionRecord;
}

/**
 * An open request being accepted, in ONE transaction that its caller drives in two steps: read
 * what the decision needs ({@link liveBaskets}), decide, then {@link commit} the `PENDING`
 * position with its command, or {@link end} without writing anything.
 *
 * Invariants: nothing is written before `commit`, and `commit` writes the position, its first
 * status change and its command together or not at all (never a half-written row). The account's
 * accept lock taken by `liveBaskets` is held until the transaction ends, so two requests on one
 * account that both read it are judged one after the other, the second seeing the first.
 * `commit` ends the transaction; without it, call `end()` (in a `finally`): it rolls back and frees the connection.
 */
export class PendingPosition {
  readonly kind = 'pending';

  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: QueryRunner,
    readonly input: NewPosition,
  ) {}

  /** The account's positions that are not settled flat, with their basket symbols; takes the advisory lock `accept:<accountId>`. */
  async liveBaskets(): Promise<LiveBasket[]> {
    const m = this.runner.manager;
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`accept:${this.input.accountId}`]);
    return (await m.query(
      `SELECT p.id AS "positionId", p.status, p.direction,
              ARRAY(SELECT c.symbol FROM index_components c WHERE c.index_id = p.index_id ORDER BY c.ordinal) AS symbols,
              EXISTS (SELECT 1 FROM orders o WHERE o.position_id = p.id AND o.purpose = 'open' AND o.status = 'FILLED') AS "holdsLegs"
       FROM synthetic_positions p
       WHERE p.account_id = $1 AND p.status NOT IN ('CLOSED', 'ROLLED_BACK')`,
      [this.input.accountId],
    )) as LiveBasket[];
  }

  /**
   * Inserts the `PENDING` position, its status change and `command`, commits and ends. When another
   * request with the same Idempotency-Key committed first, answers with that one (`replayed`).
   * @throws PersistenceError `IDEMPOTENCY.KEY_REUSED` when that one had another body
   */
  async commit(command: OutboxMessage): Promise<{ position: PositionRecord; replayed: boolean }> {
    const input = this.input;
    if (command.payload['type'] === 'Alert') throw new Error('internal: an open request commits a command, not an alert');
    const insertCommand = outboxInsert(command, 12);
    try {
      // One statement (plain SQL, the accept path every open request takes): the position, its
      // first status change (the trigger that logs it for the user's event stream runs after the
      // statement, and sees the position) and its command.
      const [row] = (await this.runner.query(
        `WITH position AS (
           INSERT INTO synthetic_positions (id, user_id, account_id, index_id, direction, notional_usdt, on_partial_failure, legging, position_mode, idempotency_key, request_sha256, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'PENDING') RETURNING id, created_at
         ), accepted AS (
           INSERT INTO position_status_changes (position_id, from_status, to_status, reason) SELECT id, NULL, 'PENDING', 'accepted' FROM position
         ), command AS (${insertCommand.sql})
         SELECT created_at FROM position`,
        [
          input.id,
          input.userId,
          input.accountId,
          input.indexId,
          input.direction,
          input.notionalUsdt,
          input.onPartialFailure,
          input.legging,
          input.positionMode,
          input.idempotencyKey,
          input.requestSha256,
          ...insertCommand.params,
        ],
      )) as { created_at: Date }[];
      await this.runner.commitTransaction();
      await this.end();
      const at = row?.created_at ?? new Date();
      return {
        position: this.dataSource.manager.create(PositionRecord, { ...input, ...NEW_POSITION, createdAt: at, updatedAt: at }),
        replayed: false,
      };
    } catch (error) {
      await this.endAfter(error);
      // Two requests with one key raced: the loser answers with the winner's position.
      if (input.idempotencyKey && isUniqueViolation(error)) {
        const winner = await findReplay(this.dataSource, input);
        if (winner) return { position: winner, replayed: true };
      }
      throw error;
    }
  }

  /** Ends the transaction after `error`; if even that fails, throws both. */
  private async endAfter(error: unknown): Promise<void> {
    try {
      await this.end();
    } catch (endError) {
      throw new AggregateError([error, endError], 'accepting the position failed, and so did rolling its transaction back');
    }
  }

  /** Rolls back whatever was not committed (and the lock with it) and returns the connection; idempotent. */
  async end(): Promise<void> {
    if (this.runner.isReleased) return;
    try {
      if (this.runner.isTransactionActive) await this.runner.rollbackTransaction();
    } finally {
      await this.runner.release();
    }
  }
}

/** The columns of a position just accepted, besides the request's own. */
const NEW_POSITION = {
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
} as const;

/**
 * The position this user already opened with `input`'s Idempotency-Key, or null (also without a key).
 * @throws PersistenceError `IDEMPOTENCY.KEY_REUSED` when it was opened with another body
 */
export async function findReplay(dataSource: DataSource, input: NewPosition): Promise<PositionRecord | null> {
  if (!input.idempotencyKey) return null;
  const found = await dataSource.getRepository(PositionRecord).findOneBy({ userId: input.userId, idempotencyKey: input.idempotencyKey });
  if (found && found.requestSha256 !== input.requestSha256) {
    throw new PersistenceError('IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was already used with a different request body', {
      positionId: found.id,
    });
  }
  return found;
}
