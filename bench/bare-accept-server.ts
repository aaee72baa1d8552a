/**
 * The baseline of the gateway-accept benchmark: a bare Fastify route doing the same database work
 * and publish as `POST /api/positions` — token lookup, index and account checks, one transaction
 * inserting the position, its status change and its outbox row, then (after answering) the
 * JetStream publish with `Nats-Msg-Id` and the outbox row marked published — with no framework
 * around it (no NestJS, no TypeORM, no schema library). The route is bench/accept-route.ts.
 * Started by bench/gateway-accept.ts.
 */
import { Pool } from 'pg';
import { connectBus } from '@legwork/messaging';
import { serveAcceptRoute } from './accept-route';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
  const bus = await connectBus(process.env['NATS_URL'] as string, process.env['BUS_NAMESPACE'] ?? '', 'bare-accept');
  const subject = bus.names.commandSubject('OpenPosition');
  await serveAcceptRoute(pool, Number(process.env['BARE_PORT']), {
    inTransaction: (client, { commandId, command }) =>
      client.query('INSERT INTO outbox (msg_id, subject, payload) VALUES ($1, $2, $3)', [commandId, subject, JSON.stringify(command)]),
    afterAnswer: async ({ commandId, command }) => {
      await bus.publish(subject, command, commandId);
      await pool.query('UPDATE outbox SET published_at = now(), publish_attempts = 1 WHERE msg_id = $1', [commandId]);
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bare accept server failed: ${(error as Error).message}\n`);
  process.exit(1);
});
