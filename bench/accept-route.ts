/**
 * The bare accept route, shared by the benchmarks' two plain front doors: the baseline of the
 * gateway-accept benchmark (bench/bare-accept-server.ts: outbox row, JetStream publish) and the
 * BullMQ front of the command-to-ACTIVE benchmark (bench/bullmq-accept-server.ts: `queue.add`).
 * Both do what `POST /api/positions` does in the database — token lookup, index and account
 * checks, one transaction inserting the `PENDING` position and its status change — with no
 * framework around it (no NestJS, no TypeORM, no schema library); what differs is how the
 * command leaves, given as hooks.
 */
import { createHash, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Pool, PoolClient } from 'pg';
import type { OpenPositionCommand } from '@legwork/messaging';

/** One accepted request: the new position and the command that carries it to an executor. */
export interface AcceptedOpen {
  positionId: string;
  commandId: string;
  command: OpenPositionCommand;
}

/** How the command leaves the accept path; every hook is awaited. */
export interface AcceptHandOff {
  /** Runs inside the accept transaction, after the position and its status change (e.g. the outbox row). */
  inTransaction?(client: PoolClient, accepted: AcceptedOpen): Promise<unknown>;
  /** Runs after the commit, before the 202 answer (e.g. `queue.add`). */
  beforeAnswer?(accepted: AcceptedOpen): Promise<unknown>;
  /** Runs after the 202 answer has been sent (e.g. the publish of an outbox row). */
  afterAnswer?(accepted: AcceptedOpen): Promise<unknown>;
}

/** Serves `POST /api/positions` and `GET /health` on 127.0.0.1:`port` until the process ends. */
export async function serveAcceptRoute(pool: Pool, port: number, handOff: AcceptHandOff): Promise<void> {
  const app = Fastify({ bodyLimit: 16_384 });
  app.get('/health', async () => ({ status: 'ok' }));
  app.post('/api/positions', async (request, reply) => {
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const body = request.body as { indexId?: string; notionalUsdt?: string; direction?: string };
    const auth = await pool.query('SELECT user_id FROM api_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL', [
      createHash('sha256').update(token).digest('hex'),
    ]);
    const userId = auth.rows[0]?.user_id as string | undefined;
    if (!userId) return reply.status(401).send({ error: { code: 'AUTH.UNAUTHENTICATED' } });
    if (!body?.indexId || !/^\d+(\.\d+)?$/.test(body.notionalUsdt ?? '') || (body.direction !== 'long' && body.direction !== 'short')) {
      return reply.status(400).send({ error: { code: 'VALIDATION.INVALID_FIELD' } });
    }
    if ((await pool.query('SELECT 1 FROM indices WHERE id = $1', [body.indexId])).rowCount === 0)
      return reply.status(404).send({ error: { code: 'INDEX.NOT_FOUND' } });
    const accounts = await pool.query('SELECT id FROM exchange_accounts WHERE user_id = $1', [userId]);
    const positionId = randomUUID();
    const commandId = randomUUID();
    const accepted: AcceptedOpen = {
      positionId,
      commandId,
      command: { schemaVersion: 1, type: 'OpenPosition', commandId, positionId, issuedAt: new Date().toISOString() },
    };
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO synthetic_positions (id, user_id, account_id, index_id, direction, notional_usdt, status, request_sha256) VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7)`,
        [
          positionId,
          userId,
          accounts.rows[0].id,
          body.indexId,
          body.direction,
          body.notionalUsdt,
          createHash('sha256').update(JSON.stringify(body)).digest('hex'),
        ],
      );
      await client.query(`INSERT INTO position_status_changes (position_id, to_status, reason) VALUES ($1, 'PENDING', 'accepted')`, [
        positionId,
      ]);
      await handOff.inTransaction?.(client, accepted);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    await handOff.beforeAnswer?.(accepted);
    void reply.status(202).send({ positionId, status: 'PENDING' });
    await handOff.afterAnswer?.(accepted);
    return reply;
  });
  await app.listen({ port, host: '127.0.0.1' });
}
