import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a position event reports (the SSE `event` field of `GET /api/positions/events`). */
export const POSITION_EVENT_KINDS = ['position.status', 'position.fill', 'position.deviation', 'alert'] as const;
export type PositionEventKind = (typeof POSITION_EVENT_KINDS)[number];

/**
 * One entry of a user's event log, written by the triggers of migration 1766000000000 in the
 * transaction of the change it reports. `seq` is null until the sequencer numbered it (commit
 * order, gap-free for readers); `data` holds the change's facts, camelCase, decimals as strings.
 */
@Entity('position_events')
export class PositionEventRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'bigint', nullable: true }) seq!: string | null;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ name: 'position_id', type: 'uuid', nullable: true }) positionId!: string | null;
  @Column('text') kind!: PositionEventKind;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
}
