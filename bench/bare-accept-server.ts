/**
 * The baseline of the gateway-accept benchmark: a bare Fastify route doing the same database work
 * and publish as `POST /api/positions` — token lookup, index and account checks, one transaction
 * inserting the position, its status change and its outbox row, then (after answering) the
 * JetStream publish with `Nats-Msg-Id` and the outbox row marked published — with no framework
 * around it (no NestJS, no TypeORM, no schema library). Started by bench/gateway-accept.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { connectBus } from '@legwork/messaging';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
  const bus = await connectBus(process.env['NATS_URL'] as string, process.env['BUS_NAMESPACE'] ?? '', 'bare-accept');
  const subject = bus.names.commandSubject('OpenPosition');
  const app = Fastify({ bodyLimit: 16_384 });
  app.get('/health', async () => ({ status: 'ok' }));
  app.post('/api/positions', async (request, reply) => {
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const body = request.body as { indexId?: string; notionalUsdt?: string; direction?: string };
    const auth = await pool.query('SELECT user_id FROM api_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL', [createHash('sha256').update(token).digest('hex')]);
    const userId = auth.rows[0]?.user_id as string | undefined;
    if (!userId) return reply.status(401).send({ error: { code: 'AUTH.UNAUTHENTICATED' } });
    if (!body?.indexId || !/^\d+(\.\d+)?$/.test(body.notionalUsdt ?? '') || (body.direction !== 'long' && body.direction !== 'short')) {
      return reply.status(400).send({ error: { code: 'VALIDATION.INVALID_FIELD' } });
    }
    if ((await pool.query('SELECT 1 FROM indices WHERE id = $1', [body.indexId])).rowCount === 0) return reply.status(404).send({ error: { code: 'INDEX.NOT_FOUND' } });
    const accounts = await pool.query('SELECT id FROM exchange_accounts WHERE user_id = $1', [userId]);
    const positionId = randomUUID();
    const commandId = randomUUID();
    const payload = { schemaVersion: 1, type: 'OpenPosition', commandId, positionId, issuedAt: new Date().toISOString() };
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO synthetic_positions (id, user_id, account_id, index_id, direction, notional_usdt, status, request_sha256) VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7)`,
        [positionId, userId, accounts.rows[0].id, body.indexId, body.direction, body.notionalUsdt, createHash('sha256').update(JSON.stringify(body)).digest('hex')],
      );
      await client.query(`INSERT INTO position_status_changes (position_id, to_status, reason) VALUES ($1, 'PENDING', 'accepted')`, [positionId]);
      await client.query('INSERT INTO outbox (msg_id, subject, payload) VALUES ($1, $2, $3)', [commandId, subject, JSON.stringify(payload)]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    void reply.status(202).send({ positionId, status: 'PENDING' });
    await bus.publish(subject, payload, commandId);
    await pool.query('UPDATE outbox SET published_at = now(), publish_attempts = 1 WHERE msg_id = $1', [commandId]);
    return reply;
  });
  await app.listen({ port: Number(process.env['BARE_PORT']), host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  process.stderr.write(`bare accept server failed: ${(error as Error).message}\n`);
  process.exit(1);
});
