import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type {
  Direction,
  HedgeSide,
  Legging,
  LegOrderStatus,
  LegSide,
  OrderPurpose,
  PositionMode,
  PositionStatus,
  UnwindOutcome,
} from '@legwork/domain';

/** A user's position in one index on one exchange account. Status changes only via the domain table. */
@Entity('synthetic_positions')
export class PositionRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId!: string;
  @Column({ name: 'index_id', type: 'uuid' }) indexId!: string;
  @Column('text') direction!: Direction;
  @Column({ name: 'notional_usdt', type: 'numeric' }) notionalUsdt!: string;
  @Column('text') status!: PositionStatus;
  @Column('text') health!: 'IN_SYNC' | 'ALTERED';
  @Column({ name: 'failure_code', type: 'text', nullable: true }) failureCode!: string | null;
  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason!: string | null;
  /** `rollback`: unwind the filled legs automatically when the open fails mid-basket (opt-in). */
  @Column({ name: 'on_partial_failure', type: 'text' }) onPartialFailure!: 'halt' | 'rollback';
  /** How the open basket's legs are sent (`sequential` | `batch`), resolved when the request was accepted. */
  @Column({ type: 'text' }) legging!: Legging;
  /** The account's position mode when the position was accepted; its legs live in that mode. */
  @Column({ name: 'position_mode', type: 'text' }) positionMode!: PositionMode;
  /** Close / rollback requests so far: the next one's `orderLinkId` attempt number. */
  @Column({ name: 'close_attempts', type: 'int' }) closeAttempts!: number;
  @Column({ name: 'rollback_attempts', type: 'int' }) rollbackAttempts!: number;
  @Column({ name: 'restore_attempts', type: 'int' }) restoreAttempts!: number;
  /** Since when reconciliation has seen the position differ from the exchange (null when IN_SYNC). */
  @Column({ name: 'altered_since', type: 'timestamptz', nullable: true }) alteredSince!: Date | null;
  @Column({ name: 'idempotency_key', type: 'text', nullable: true }) idempotencyKey!: string | null;
  @Column({ name: 'request_sha256', type: 'char', length: 64, nullable: true }) requestSha256!: string | null;
  @Column('int') version!: number;
  @Column({ name: 'lease_owner', type: 'text', nullable: true }) leaseOwner!: string | null;
  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true }) leaseExpiresAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** Audit trail of every status change, with the reason (also gives the position's timings). */
@Entity('position_status_changes')
export class PositionStatusChangeRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'position_id', type: 'uuid' }) positionId!: string;
  @Column({ name: 'from_status', type: 'text', nullable: true }) fromStatus!: PositionStatus | null;
  @Column({ name: 'to_status', type: 'text' }) toStatus!: PositionStatus;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ name: 'changed_at', type: 'timestamptz' }) changedAt!: Date;
}

/** The order ledger: one row per order Legwork decides to send, written before it is sent. */
@Entity('orders')
export class OrderRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'position_id', type: 'uuid' }) positionId!: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId!: string;
  @Column('text') purpose!: OrderPurpose;
  @Column('int') attempt!: number;
  @Column({ name: 'leg_index', type: 'int' }) legIndex!: number;
  @Column({ name: 'order_link_id', type: 'text' }) orderLinkId!: string;
  @Column('text') symbol!: string;
  @Column('text') side!: LegSide;
  @Column('numeric') quantity!: string;
  @Column({ name: 'reduce_only', type: 'boolean' }) reduceOnly!: boolean;
  /** The side of a hedge-mode account the order goes to (Bybit positionIdx 1/2); null in one-way mode. */
  @Column({ name: 'hedge_side', type: 'text', nullable: true }) hedgeSide!: HedgeSide | null;
  @Column({ name: 'planned_mark_price', type: 'numeric', nullable: true }) plannedMarkPrice!: string | null;
  /** Signed exchange position size in `symbol` just before the last submit (for fill verification). */
  @Column({ name: 'position_size_before', type: 'numeric', nullable: true }) positionSizeBefore!: string | null;
  @Column('text') status!: LegOrderStatus;
  @Column({ name: 'exchange_order_id', type: 'text', nullable: true }) exchangeOrderId!: string | null;
  @Column({ name: 'filled_quantity', type: 'numeric' }) filledQuantity!: string;
  @Column({ name: 'average_price', type: 'numeric', nullable: true }) averagePrice!: string | null;
  @Column({ name: 'reject_code', type: 'text', nullable: true }) rejectCode!: string | null;
  @Column({ name: 'reject_reason', type: 'text', nullable: true }) rejectReason!: string | null;
  /** The exchange's own code and message for the refusal, when it gave them (Bybit `retCode` / `retMsg`). */
  @Column({ name: 'reject_exchange', type: 'jsonb', nullable: true }) rejectExchange!: { retCode: number; retMsg: string } | null;
  /** For close / rollback legs: how the unwind of this leg ended. */
  @Column({ name: 'unwind_outcome', type: 'text', nullable: true }) unwindOutcome!: UnwindOutcome | null;
  @Column({ name: 'submit_count', type: 'int' }) submitCount!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt!: Date | null;
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true }) settledAt!: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** One fill (a Bybit execution) of one of our orders. */
@Entity('trades')
export class TradeRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId!: string;
  @Column({ name: 'position_id', type: 'uuid' }) positionId!: string;
  @Column({ name: 'exec_id', type: 'text' }) execId!: string;
  @Column({ name: 'exchange_order_id', type: 'text' }) exchangeOrderId!: string;
  @Column('text') symbol!: string;
  @Column('text') side!: LegSide;
  @Column('numeric') price!: string;
  @Column('numeric') quantity!: string;
  @Column('numeric') fee!: string;
  @Column({ name: 'fee_currency', type: 'text' }) feeCurrency!: string;
  @Column({ name: 'executed_at', type: 'timestamptz' }) executedAt!: Date;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
}

/** The immutable snapshot of what a position holds once ACTIVE: close and P&L use exactly this. */
@Entity('position_components')
export class PositionComponentRecord {
  @PrimaryColumn({ name: 'position_id', type: 'uuid' }) positionId!: string;
  @PrimaryColumn({ name: 'leg_index', type: 'int' }) legIndex!: number;
  @Column('text') symbol!: string;
  @Column('text') side!: LegSide;
  @Column({ name: 'expected_quantity', type: 'numeric' }) expectedQuantity!: string;
  @Column({ name: 'entry_price', type: 'numeric' }) entryPrice!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
