import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Legging } from '@legwork/domain';

/** A named synthetic index: a weighted basket of USDT linear perpetuals. */
@Entity('indices')
export class IndexRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  /** The legging of an open request on this index that names none (null: the global default). */
  @Column({ name: 'default_legging', type: 'text', nullable: true }) defaultLegging!: Legging | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** One constituent of an index; `weight` is a positive decimal string (relative, normalised at composition). */
@Entity('index_components')
export class IndexComponentRecord {
  @PrimaryColumn({ name: 'index_id', type: 'uuid' }) indexId!: string;
  @PrimaryColumn('int') ordinal!: number;
  @Column('text') symbol!: string;
  @Column('numeric') weight!: string;
}
