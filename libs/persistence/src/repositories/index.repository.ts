import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Legging } from '@legwork/domain';
import { IndexComponentRecord, IndexRecord } from '../records/index.records';
import { isUniqueViolation, PersistenceError } from '../persistence-error';

export interface IndexWithComponents {
  index: IndexRecord;
  components: IndexComponentRecord[];
}

/** Synthetic indices and their weighted constituents. */
export class IndexRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * @param defaultLegging the legging of open requests on this index that name none (null: the global default)
   * @throws PersistenceError `INDEX.NAME_TAKEN`
   */
  async create(
    name: string,
    components: { symbol: string; weight: string }[],
    defaultLegging: Legging | null = null,
  ): Promise<IndexWithComponents> {
    const id = randomUUID();
    try {
      await this.dataSource.transaction(async (m) => {
        await m.insert(IndexRecord, { id, name, defaultLegging });
        await m.insert(
          IndexComponentRecord,
          components.map((c, ordinal) => ({ indexId: id, ordinal, symbol: c.symbol, weight: c.weight })),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new PersistenceError('INDEX.NAME_TAKEN', `an index named ${name} exists`);
      throw error;
    }
    return (await this.find(id)) as IndexWithComponents;
  }

  /** Whether an index exists (one indexed lookup; no components loaded). */
  async exists(id: string): Promise<boolean> {
    return ((await this.dataSource.query('SELECT 1 FROM indices WHERE id = $1', [id])) as unknown[]).length > 0;
  }

  async find(id: string): Promise<IndexWithComponents | null> {
    // Plain SQL, one statement: every basket accepted and every basket planned reads its index.
    const rows = (await this.dataSource.query(
      `SELECT i.id, i.name, i.default_legging AS "defaultLegging", i.created_at AS "createdAt", c.ordinal, c.symbol, c.weight
       FROM indices i LEFT JOIN index_components c ON c.index_id = i.id WHERE i.id = $1 ORDER BY c.ordinal`,
      [id],
    )) as (IndexRecord & { ordinal: number | null; symbol: string | null; weight: string | null })[];
    const [first] = rows;
    if (!first) return null;
    const index: IndexRecord = { id: first.id, name: first.name, defaultLegging: first.defaultLegging, createdAt: first.createdAt };
    const components = rows
      .filter((r) => r.symbol !== null)
      .map((r) => ({ indexId: r.id, ordinal: r.ordinal as number, symbol: r.symbol as string, weight: r.weight as string }));
    return { index, components };
  }

  async list(): Promise<IndexWithComponents[]> {
    const indices = await this.dataSource.getRepository(IndexRecord).find({ order: { name: 'ASC' } });
    const components = await this.dataSource.getRepository(IndexComponentRecord).find({ order: { ordinal: 'ASC' } });
    return indices.map((index) => ({ index, components: components.filter((c) => c.indexId === index.id) }));
  }
}
