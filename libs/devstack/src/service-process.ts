// Runs a compiled Legwork service (`node dist/apps/<svc>/src/main.js`) as a real child process,
// for the demo and for end-to-end / kill tests: start, wait for health, SIGTERM / SIGKILL, restart.
//
// Invariant: a ServiceProcess never outlives the Node process that spawned it; a process still
// running when that process exits is SIGKILLed from an 'exit' handler.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { registerExitCleanup } from './internal/exit-cleanup';
import { lastLines, OutputTail } from './internal/output-tail';
import { delay } from './internal/run-command';

export interface SpawnServiceOptions {
  /** Label used in errors and output markers, e.g. 'executor'. */
  name: string;
  /** Path of the compiled entry point (a `.js` file), run with the current `node` binary. */
  script: string;
  /** Arguments after the script. */
  args?: string[];
  /** Extra arguments for node itself, e.g. ['--enable-source-maps']. */
  nodeArgs?: string[];
  /** Merged over process.env; a value of undefined removes an inherited variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** When set, start (and restart) resolve only once a GET of this URL answers 200. */
  healthUrl?: string;
  /** How long to wait for healthUrl, in ms; default 30000. */
  healthTimeoutMs?: number;
  /** Append stdout and stderr to this file as well (directories are created). */
  logFile?: string;
  /** Time between SIGTERM and SIGKILL in stop(), in ms; default 5000. */
  stopGraceMs?: number;
}

export interface ExitStatus {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  readonly name: string;
  /** Process id of the current (or, once exited, the last) incarnation. Changes on restart(). */
  readonly pid: number;
  /** False once the current incarnation has exited. */
  readonly running: boolean;
  /** Sends a signal (default SIGKILL) and returns at once; use waitForExit() to wait. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `stopGraceMs`; resolves with how it ended. Idempotent. */
  stop(): Promise<ExitStatus>;
  /** stop(), then start again with the same options (and wait for health again). */
  restart(): Promise<void>;
  /** Resolves when the current incarnation exits (at once if it already has). */
  waitForExit(): Promise<ExitStatus>;
  /** The last ~64 KiB of stdout+stderr, across incarnations. */
  output(): string;
}

/** The service died or never became healthy during start-up; `output` holds what it printed. */
export class ServiceStartError extends Error {
  constructor(
    message: string,
    readonly serviceName: string,
    readonly output: string,
    readonly exit: ExitStatus | undefined,
  ) {
    super(message);
    this.name = 'ServiceStartError';
  }
}

/**
 * Spawns `node [nodeArgs] script [args]` with stdout/stderr captured, and resolves once it is
 * healthy (healthUrl answers 200) or, without healthUrl, once the process has been created.
 *
 * @throws ServiceStartError when the script is missing, the process exits before it is healthy
 *   (message and `.output` hold its output tail), or health does not come within healthTimeoutMs
 *   (the process is then killed).
 */
export async function spawnService(options: SpawnServiceOptions): Promise<ServiceProcess> {
  const script = path.resolve(options.script);
  try {
    await fs.access(script);
  } catch {
    throw new ServiceStartError(
      `service "${options.name}": script ${script} not found (was the project built?)`,
      options.name,
      '',
      undefined,
    );
  }
  const service = new ChildService({ ...options, script });
  await service.start();
  return service;
}

class ChildService implements ServiceProcess {
  readonly name: string;
  private child: ChildProcess | undefined;
  private lastPid = 0;
  private exitStatus: ExitStatus | undefined;
  private exited: Promise<ExitStatus> = Promise.resolve({ code: null, signal: null });
  private readonly tail = new OutputTail();
  private log: WriteStream | undefined;

  constructor(private readonly options: SpawnServiceOptions & { script: string }) {
    this.name = options.name;
  }

  get pid(): number {
    return this.lastPid;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitStatus === undefined;
  }

  output(): string {
    return this.tail.toString();
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.running) this.child?.kill(signal);
  }

  waitForExit(): Promise<ExitStatus> {
    return this.exited;
  }

  async stop(): Promise<ExitStatus> {
    const child = this.child;
    if (child === undefined || !this.running) return this.exited;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), this.options.stopGraceMs ?? 5000);
    const status = await this.exited;
    clearTimeout(killTimer);
    return status;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start(`\n--- @legwork/devstack: restarting ${this.name} ---\n`);
  }

  async start(banner?: string): Promise<void> {
    if (this.options.logFile !== undefined && this.log === undefined) {
      await fs.mkdir(path.dirname(this.options.logFile), { recursive: true });
      this.log = createWriteStream(this.options.logFile, { flags: 'a' });
    }
    if (banner !== undefined) this.record(banner);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [key, value] of Object.entries(this.options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), this.options.script, ...(this.options.args ?? [])], {
      cwd: this.options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitStatus = undefined;
    this.lastPid = child.pid ?? 0;
    child.stdout?.on('data', (chunk: Buffer) => this.record(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => this.record(chunk.toString('utf8')));
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const unregister = registerExitCleanup(() => {
      child.kill('SIGKILL');
    });
    this.exited = new Promise<ExitStatus>((resolve) => {
      const finish = (status: ExitStatus): void => {
        unregister();
        // Let the pipes drain so the output tail holds the last words, but do not hang on
        // grandchildren that inherited them.
        void Promise.race([closed, delay(500)]).then(() => {
          this.log?.end();
          this.log = undefined;
          this.exitStatus = status;
          resolve(status);
        });
      };
      child.once('exit', (code, signal) => finish({ code, signal }));
      child.once('error', (error) => {
        this.record(`\n--- @legwork/devstack: could not run ${this.name}: ${error.message} ---\n`);
        if (child.pid === undefined) finish({ code: null, signal: null });
      });
    });

    if (this.options.healthUrl === undefined) {
      await Promise.race([new Promise<void>((resolve) => child.once('spawn', () => resolve())), this.exited]);
      if (this.exitStatus !== undefined || child.pid === undefined) throw this.startError('could not be started');
      return;
    }
    await this.waitForHealth(this.options.healthUrl, this.options.healthTimeoutMs ?? 30_000);
  }

  private async waitForHealth(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitStatus !== undefined) throw this.startError(`exited before ${url} answered 200`);
      if (await answers200(url)) return;
      await Promise.race([delay(100), this.exited]);
    }
    this.kill('SIGKILL');
    await this.exited;
    throw this.startError(`was not healthy at ${url} within ${timeoutMs} ms (killed)`);
  }

  private startError(what: string): ServiceStartError {
    const status = this.exitStatus;
    const how = status === undefined ? '' : ` (${status.signal ?? `exit code ${String(status.code)}`})`;
    const output = this.output();
    return new ServiceStartError(
      `service "${this.name}" ${what}${how}; last output:\n${lastLines(output) || '(no output)'}`,
      this.name,
      output,
      status,
    );
  }

  private record(text: string): void {
    this.tail.append(text);
    this.log?.write(text);
  }
}

function answers200(url: string): Promise<boolean> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const request = client.get(url, { timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}
