/**
 * The floor of the command-to-ACTIVE benchmark: a plain JetStream consumer doing the same
 * database writes and the same exchange calls as the executor for an OpenPosition command (the
 * per-basket work is bench/basket-work.ts, shared with the BullMQ worker) with no framework
 * around them: no NestJS, no TypeORM, no lease renewal, no consumer runner, no metrics. Started
 * by bench/command-to-active.ts, which waits for its `ready` line (the executor's equivalent is
 * its health endpoint) so that start-up is not counted as queue time.
 */
import { connectBus, decodeCommand } from '@legwork/messaging';
import { createBasketWork } from './basket-work';

const env = (name: string) => process.env[name] as string;

async function main(): Promise<void> {
  const work = createBasketWork({ databaseUrl: env('DATABASE_URL'), simUrl: env('BYBIT_SIM_URL'), name: 'floor' });
  const bus = await connectBus(env('NATS_URL'), env('BUS_NAMESPACE'), 'floor-executor');
  const consumer = await bus.js.consumers.get(bus.names.commandsStream, bus.names.executorDurable);
  const messages = await consumer.consume({ max_messages: Number(env('CONCURRENCY')) });
  const inFlight = new Set<Promise<void>>();
  process.stdout.write('ready\n'); // the driver starts the clock only after this line

  for await (const msg of messages) {
    const decoded = decodeCommand(msg.data);
    if (!decoded.ok) {
      msg.term();
      continue;
    }
    const task = work
      .execute(decoded.command.positionId)
      .then(() => msg.ack())
      .catch((error: unknown) => {
        process.stderr.write(`floor: ${(error as Error).message}\n`);
        msg.nak(100);
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= Number(env('CONCURRENCY'))) await Promise.race(inFlight);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`floor executor failed: ${(error as Error).message}\n`);
  process.exit(1);
});
