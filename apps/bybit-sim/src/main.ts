// Standalone simulator process: reads the environment once (config.ts), listens, logs one JSON
// line with its URL, and exits cleanly on SIGTERM/SIGINT.
import { ConfigError, readConfig } from './config';
import { startBybitSim } from './index';

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), service: 'bybit-sim', msg, ...fields });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      log('error', 'invalid configuration', { problems: error.problems });
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const sim = await startBybitSim(config);
  log('info', 'listening', {
    url: sim.url,
    privateStreamUrl: sim.privateStreamUrl,
    port: sim.port,
    seed: config.seed,
    slippageBps: config.slippageBps,
    priceTickMs: config.priceTickMs,
    fillAtMark: config.fillAtMark,
    book: config.book,
    latency: config.latency ?? null,
    batchLimits: config.batchLimits ?? null,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping', { signal });
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log('error', 'close failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  log('error', 'failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
