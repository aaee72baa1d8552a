import type { RestorePlanStatus } from '@legwork/domain';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** What differs: the size held (`quantity`, with a Δ) or the leverage it is held at (`leverage`, 1x expected). */
export type DeviationKind = 'quantity' | 'leverage';

/** One deviation of a position's symbol from the exchange, open until cleared (history kept). */
@Entity('position_deviations')
export class PositionDeviationRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'position_id', type: 'uuid' }) positionId!: string;
  @Column('text') symbol!: string;
  @Column('text') kind!: DeviationKind;
  @Column({ name: 'expected_quantity', type: 'numeric' }) expectedQuantity!: string;
  @Column({ name: 'actual_quantity', type: 'numeric', nullable: true }) actualQuantity!: string | null;
  /** Null for a `leverage` deviation (not a quantity Δ). */
  @Column({ type: 'numeric', nullable: true }) delta!: string | null;
  @Column({ name: 'expected_leverage', type: 'numeric', nullable: true }) expectedLeverage!: string | null;
  @Column({ name: 'actual_leverage', type: 'numeric', nullable: true }) actualLeverage!: string | null;
  @Column({ name: 'shared_with', type: 'uuid', array: true }) sharedWith!: string[];
  @Column('text') explanation!: string;
  @Column({ name: 'first_seen_at', type: 'timestamptz' }) firstSeenAt!: Date;
  @Column({ name: 'last_seen_at', type: 'timestamptz' }) lastSeenAt!: Date;
  @Column({ name: 'cleared_at', type: 'timestamptz', nullable: true }) clearedAt!: Date | null;
}

/** The latest P&L of a position on its originally opened quantities (seed 000). */
@Entity('position_pnl')
export class PositionPnlRecord {
  @PrimaryColumn({ name: 'position_id', type: 'uuid' }) positionId!: string;
  @Column({ name: 'pnl_usdt', type: 'numeric' }) pnlUsdt!: string;
  @Column({ name: 'per_leg', type: 'jsonb' }) perLeg!: { symbol: string; pnlUsdt: string }[];
  @Column({ name: 'missing_prices', type: 'text', array: true }) missingPrices!: string[];
  @Column({ name: 'computed_at', type: 'timestamptz' }) computedAt!: Date;
}

export type OrphanStatus = 'suspected' | 'confirmed' | 'resolved' | 'dropped';

/** Exchange exposure no tracked position explains, followed across scans. */
@Entity('orphan_observations')
export class OrphanObservationRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId!: string;
  @Column('text') symbol!: string;
  /** The side of a hedge-mode account; '' in one-way mode (part of the open-orphan key, hence not NULL). */
  @Column({ name: 'hedge_side', type: 'text', default: '' }) hedgeSide!: '' | 'long' | 'short';
  @Column('text') side!: 'long' | 'short';
  @Column('numeric') size!: string;
  @Column('text') status!: OrphanStatus;
  @Column({ name: 'consecutive_scans', type: 'int' }) consecutiveScans!: number;
  @Column({ type: 'text', nullable: true }) origin!: 'legwork_order' | 'manual_trade' | null;
  @Column({ name: 'entry_price', type: 'numeric', nullable: true }) entryPrice!: string | null;
  @Column({ name: 'mark_price', type: 'numeric', nullable: true }) markPrice!: string | null;
  @Column({ name: 'unrealised_pnl_usdt', type: 'numeric', nullable: true }) unrealisedPnlUsdt!: string | null;
  @Column({ name: 'first_seen_at', type: 'timestamptz' }) firstSeenAt!: Date;
  @Column({ name: 'last_seen_at', type: 'timestamptz' }) lastSeenAt!: Date;
  @Column({ name: 'last_window', type: 'timestamptz' }) lastWindow!: Date;
  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true }) confirmedAt!: Date | null;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt!: Date | null;
}

/** Every alert published, kept for `GET /api/alerts` and audits. */
@Entity('alerts')
export class AlertRecord {
  @PrimaryColumn('text') id!: string;
  @Column('text') kind!: string;
  @Column('text') severity!: 'info' | 'warning' | 'critical';
  @Column('text') summary!: string;
  @Column({ name: 'position_id', type: 'uuid', nullable: true }) positionId!: string | null;
  @Column({ name: 'account_id', type: 'uuid', nullable: true }) accountId!: string | null;
  @Column('jsonb') details!: Record<string, unknown>;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
}

/** One scan job of one account for one schedule window. */
@Entity('scan_runs')
export class ScanRunRecord {
  @PrimaryColumn('text') job!: 'reconcile' | 'orphans';
  @PrimaryColumn({ name: 'account_id', type: 'uuid' }) accountId!: string;
  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' }) windowStart!: Date;
  @Column('text') status!: 'running' | 'done' | 'failed' | 'skipped';
  @Column('int') attempts!: number;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
}

/** The exact trades that would bring an altered position back to its components. */
@Entity('restore_plans')
export class RestorePlanRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'position_id', type: 'uuid' }) positionId!: string;
  /** `hedgeSide`: the side of a hedge-mode account the trade goes to; null / absent (plans made before hedge mode) = one-way. */
  @Column('jsonb') trades!: {
    legIndex: number;
    symbol: string;
    hedgeSide?: 'long' | 'short' | null;
    side: 'buy' | 'sell';
    quantity: string;
    reduceOnly: boolean;
    description: string;
  }[];
  /** Slot key (`slotKey`: the bare symbol on a one-way account, `BTCUSDT:long` on a hedge-mode one) → signed size when planned. */
  @Column({ name: 'exchange_snapshot', type: 'jsonb' }) exchangeSnapshot!: Record<string, string>;
  /** Symbols to set back to 1x before the trades (a leverage changed by hand). */
  @Column({ name: 'leverage_resets', type: 'jsonb' }) leverageResets!: { symbol: string; fromLeverage: string; description: string }[];
  @Column('text') status!: RestorePlanStatus;
  @Column('int') attempt!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
}
