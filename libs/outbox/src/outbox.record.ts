import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message to publish, committed in the same transaction as the change that caused it. */
@Entity('outbox')
export class OutboxRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'msg_id', type: 'text' }) msgId!: string;
  @Column('text') subject!: string;
  @Column('jsonb') payload!: Record<string, unknown>;
  /** NATS headers to publish with (a command's `X-Request-Id`); null: none. */
  @Column({ type: 'jsonb', nullable: true }) headers!: Record<string, string> | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'publish_attempts', type: 'int' }) publishAttempts!: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
}
