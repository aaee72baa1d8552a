import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LegSide } from '@legwork/domain';

/** One position's part of one funding settlement (never a fill: not in `trades`). */
@Entity('position_funding')
export class PositionFundingRecord {
  @PrimaryColumn({ name: 'position_id', type: 'uuid' }) positionId!: string;
  /** The exchange's id of the settlement (Bybit `execId` of the `Funding` execution). */
  @PrimaryColumn({ name: 'exec_id', type: 'text' }) execId!: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId!: string;
  @Column('text') symbol!: string;
  @Column('text') side!: LegSide;
  @Column({ name: 'held_quantity', type: 'numeric' }) heldQuantity!: string;
  @Column({ name: 'position_size', type: 'numeric' }) positionSize!: string;
  @Column({ name: 'funding_rate', type: 'numeric' }) fundingRate!: string;
  /** As P&L: negative paid, positive received (USDT). */
  @Column({ name: 'funding_usdt', type: 'numeric' }) fundingUsdt!: string;
  @Column({ name: 'settled_at', type: 'timestamptz' }) settledAt!: Date;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
}

/** Up to when an account's executions in a symbol were read for funding. */
@Entity('funding_cursors')
export class FundingCursorRecord {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' }) accountId!: string;
  @PrimaryColumn('text') symbol!: string;
  @Column({ name: 'read_until', type: 'timestamptz' }) readUntil!: Date;
}
