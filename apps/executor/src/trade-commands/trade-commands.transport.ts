import type { Logger } from 'pino';
import { Bus, CommandType, consumerPatterns, Disposition, JetStreamServer } from '@legwork/messaging';
import type { ExecutorConfig } from '../config';

/** The patterns of the executor's trade-command handlers (`@EventPattern(TRADE_COMMANDS.message, JETSTREAM_TRANSPORT)`). */
export const TRADE_COMMANDS = consumerPatterns('trade-commands');

/**
 * What the trade-command handler returns: the disposition that settles the message, with what the
 * command came to for the metrics (`trade_commands_total{type, outcome}`; `outcome` null: not
 * counted, e.g. a failure that could not be counted either).
 */
export type HandledCommand = Disposition & { commandType: CommandType | 'unknown'; outcome: string | null };

/**
 * The transport of trade commands: the executor's durable pull consumer on the commands stream,
 * `EXECUTOR_CONCURRENCY` commands at once, retries on `RETRY_DELAYS_MS`, and an in-progress signal
 * every third of the ack wait (so a long basket is never redelivered while it runs).
 */
export function tradeCommandsServer(bus: Bus, config: ExecutorConfig, log: Logger): JetStreamServer {
  return new JetStreamServer(
    bus,
    [
      {
        patterns: TRADE_COMMANDS,
        stream: bus.names.commandsStream,
        durable: bus.names.executorDurable,
        concurrency: config.EXECUTOR_CONCURRENCY,
        retryDelaysMs: config.RETRY_DELAYS_MS,
        heartbeatMs: Math.max(100, Math.floor(config.ACK_WAIT_MS / 3)),
      },
    ],
    log,
  );
}
