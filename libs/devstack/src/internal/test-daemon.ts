// A throwaway server process for tests (Alertmanager, Prometheus): spawned with its own temporary
// directory, ready once an HTTP URL answers 2xx, stopped with SIGTERM (SIGKILL after 5 s) and its
// directory removed; killed on process exit if a test forgot stop().
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { eventually } from '../eventually';
import { registerExitCleanup } from './exit-cleanup';
import { lastLines, OutputTail } from './output-tail';

export interface TestDaemon {
  /** The last ~64 KiB of its stdout and stderr. */
  output(): string;
  /** Stops it and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Spawns `bin args` and resolves once `readyUrl` answers 2xx.
 * @param options.name named in errors, e.g. 'prometheus'
 * @param options.dir the daemon's temporary directory, removed on stop() (and on a failed start)
 * @throws Error when it exits during start-up or is not ready within 20 s (the message holds its log)
 */
export async function startTestDaemon(options: {
  name: string;
  bin: string;
  args: string[];
  dir: string;
  readyUrl: string;
}): Promise<TestDaemon> {
  const tail = new OutputTail();
  const child = spawn(options.bin, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => tail.append(chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => tail.append(chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const unregister = registerExitCleanup(() => child.kill('SIGKILL'));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(kill);
    }
    unregister();
    await fs.rm(options.dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${options.name} exited:\n${lastLines(tail.toString())}`);
        const ready = await fetch(options.readyUrl).then(
          (r) => r.ok,
          () => false,
        );
        return ready ? true : undefined;
      },
      { what: `${options.name} ready (${options.readyUrl})`, timeoutMs: 20_000 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { output: () => tail.toString(), stop };
}
