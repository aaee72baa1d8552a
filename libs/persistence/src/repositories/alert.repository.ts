import { DataSource } from 'typeorm';
import { AlertRecord } from '../records/scan.records';

/** Reads stored alerts (written with the outbox, see `writeOutbox`). */
export class AlertRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Alerts about a user's own positions and exchange accounts, newest first. */
  forUser(userId: string, limit: number): Promise<AlertRecord[]> {
    return this.dataSource
      .getRepository(AlertRecord)
      .createQueryBuilder('a')
      .where('a.position_id IN (SELECT id FROM synthetic_positions WHERE user_id = :userId)', { userId })
      .orWhere('a.account_id IN (SELECT id FROM exchange_accounts WHERE user_id = :userId)', { userId })
      .orderBy('a.occurred_at', 'DESC')
      .limit(limit)
      .getMany();
  }
}
