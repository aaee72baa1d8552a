// A local nats-server with JetStream for tests, the demo and chaos tests.
//
// Invariant: one LocalNats keeps its port and store directory for its whole life, so restart()
// brings back the same streams and messages at the same URL (clients reconnect to it).
//
// Durability: on nats-server >= 2.10 the generated config sets `jetstream { sync_interval: always }`
// (fsync after every write). 2.9 (Debian bookworm's 2.9.10) rejects that field ("unknown field"),
// so support is detected once per binary with `nats-server -t` and on 2.9 the default applies:
// writes reach the OS on publish and survive a killed server process, but not a machine crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { registerExitCleanup } from './internal/exit-cleanup';
import { lastLines, OutputTail } from './internal/output-tail';
import { findFreePort, isTcpReachable } from './ports';

export interface StartNatsOptions {
  /** JetStream store directory (`-sd`); created if missing; kept by restart() and stop(). */
  dataDir: string;
  /** Client port on 127.0.0.1; default: a free port chosen by findFreePort(). */
  port?: number;
  /** nats-server binary; default: env NATS_SERVER_BIN, else `nats-server` on PATH, else /usr/sbin/nats-server. */
  bin?: string;
  /** How long to wait for "Server is ready" on each start, in ms; default 15000. */
  readyTimeoutMs?: number;
  /** Membership of a JetStream cluster (see startNatsCluster); requires `port`. Absent: a lone server. */
  cluster?: NatsClusterMembership;
}

/** One node's place in a loopback JetStream cluster. */
export interface NatsClusterMembership {
  /** Cluster name, the same on every node. */
  name: string;
  /** This node's `server_name` (JetStream reports leaders and replicas by it). */
  serverName: string;
  /** This node's route (cluster) port on 127.0.0.1. */
  routePort: number;
  /** Every node's route port, this one's included (nats-server ignores the route to itself). */
  routePorts: readonly number[];
}

export interface NatsRestartOptions {
  /**
   * How to end the running server: 'SIGTERM' (default) shuts down cleanly; 'SIGKILL' simulates a
   * crash (no JetStream flush on shutdown).
   */
  signal?: 'SIGTERM' | 'SIGKILL';
  /** Pause between the old process exiting and the new one starting, in ms; default 0. */
  downTimeMs?: number;
}

export interface LocalNats {
  /** `nats://127.0.0.1:<port>`; unchanged by restart(). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Current server process id; undefined while stopped. Changes on restart(). */
  readonly pid: number | undefined;
  /** True when the config asks JetStream to fsync every write (nats-server >= 2.10). */
  readonly syncAlways: boolean;
  /** The `server_name` of a cluster node; undefined for a lone server. */
  readonly serverName: string | undefined;
  /** Stops the server (SIGTERM, SIGKILL after 10 s). Idempotent. Keeps dataDir. */
  stop(): Promise<void>;
  /** Stops the server if running and starts it again on the same port with the same store. */
  restart(options?: NatsRestartOptions): Promise<void>;
  /** The last ~64 KiB of the server's log output (all incarnations). */
  output(): string;
}

const READY_LINE = /Server is ready/;
const ADDRESS_IN_USE = /address already in use/i;
const STOP_GRACE_MS = 10_000;

/**
 * Starts `nats-server -js -sd <dataDir> -a 127.0.0.1 -p <port> -c <dataDir>/nats-server.conf` as a
 * child process and resolves once it logs "Server is ready" and accepts TCP connections.
 *
 * @throws Error when the binary cannot be found, the server exits during start-up (the message
 *   holds its log), or it is not ready within `readyTimeoutMs`. With no `port` given, a port
 *   that turns out to be taken is replaced by another free one (up to 3 attempts).
 */
export async function startNatsServer(options: StartNatsOptions): Promise<LocalNats> {
  const bin = await resolveNatsBinary(options.bin);
  const dataDir = path.resolve(options.dataDir);
  await fs.mkdir(dataDir, { recursive: true });
  const syncAlways = await supportsSyncAlways(bin, dataDir);
  const configPath = path.join(dataDir, 'nats-server.conf');
  if (options.cluster !== undefined && options.port === undefined) throw new Error('startNatsServer: a cluster node needs a fixed port');
  await fs.writeFile(configPath, natsConfig(syncAlways, options.cluster));

  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort());
    const server = new NatsServerProcess(bin, dataDir, configPath, port, syncAlways, readyTimeoutMs, options.cluster?.serverName);
    try {
      await server.start();
      return server;
    } catch (error) {
      if (attempt < attempts && ADDRESS_IN_USE.test(server.output())) continue;
      throw error;
    }
  }
}

/** The config file: JetStream (fsync on every write where supported) and, for a cluster node, its name and routes. */
function natsConfig(syncAlways: boolean, cluster: NatsClusterMembership | undefined): string {
  const lines = ['# Written by @legwork/devstack. store_dir, host and port are command-line flags.'];
  if (cluster !== undefined) lines.push(`server_name: ${cluster.serverName}`);
  lines.push('jetstream {', ...(syncAlways ? ['  sync_interval: always'] : []), '}');
  if (cluster !== undefined) {
    const routes = cluster.routePorts.map((routePort) => `    nats-route://127.0.0.1:${routePort}`);
    lines.push('cluster {', `  name: ${cluster.name}`, `  listen: 127.0.0.1:${cluster.routePort}`, '  routes: [', ...routes, '  ]', '}');
  }
  return `${lines.join('\n')}\n`;
}

class NatsServerProcess implements LocalNats {
  readonly url: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly tail = new OutputTail();

  constructor(
    private readonly bin: string,
    readonly dataDir: string,
    private readonly configPath: string,
    readonly port: number,
    readonly syncAlways: boolean,
    private readonly readyTimeoutMs: number,
    readonly serverName: string | undefined,
  ) {
    this.url = `nats://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  output(): string {
    return this.tail.toString();
  }

  async start(): Promise<void> {
    const args = ['-js', '-sd', this.dataDir, '-a', '127.0.0.1', '-p', String(this.port), '-c', this.configPath];
    const child = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let sawReady = false;
    let onReady: (() => void) | undefined;
    let sinceStart = ''; // the tail also holds earlier incarnations' "Server is ready"
    const onOutput = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      this.tail.append(text);
      if (sawReady) return;
      sinceStart += text;
      if (READY_LINE.test(sinceStart)) {
        sawReady = true;
        onReady?.();
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    let exitInfo = '';
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        exitInfo = `could not run ${this.bin}: ${error.message}`;
        resolve();
      });
      child.once('exit', (code, signal) => {
        exitInfo = `exited with ${signal ?? `code ${String(code)}`}`;
        resolve();
      });
    });
    const unregisterCleanup = registerExitCleanup(() => {
      child.kill('SIGKILL');
    });
    void this.exited.then(() => {
      if (this.child === child) this.child = undefined;
      unregisterCleanup();
    });

    const ready = new Promise<void>((resolve) => {
      if (sawReady) resolve();
      onReady = resolve;
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.readyTimeoutMs);
    });
    const outcome = await Promise.race([ready.then(() => 'ready' as const), this.exited.then(() => 'exited' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'exited') {
      throw new Error(`nats-server on port ${this.port} ${exitInfo} during start-up:\n${lastLines(this.output())}`);
    }
    if (outcome === 'timeout') {
      await this.stop();
      throw new Error(`nats-server on port ${this.port} not ready after ${this.readyTimeoutMs} ms:\n${lastLines(this.output())}`);
    }
    // "Server is ready" is logged after the listener is up; one TCP probe confirms it from outside.
    if (!(await isTcpReachable(this.url, 2000))) {
      await this.stop();
      throw new Error(`nats-server said it is ready but ${this.url} refuses connections:\n${lastLines(this.output())}`);
    }
  }

  async stop(): Promise<void> {
    await this.endProcess('SIGTERM');
  }

  async restart(options: NatsRestartOptions = {}): Promise<void> {
    await this.endProcess(options.signal ?? 'SIGTERM');
    if (options.downTimeMs !== undefined && options.downTimeMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, options.downTimeMs));
    }
    this.tail.append(`\n--- @legwork/devstack: restarting nats-server on port ${this.port} ---\n`);
    await this.start();
  }

  private async endProcess(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      await this.exited;
      return;
    }
    child.kill(signal);
    const graceTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(graceTimer);
  }
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The nats-server binary to run: `explicit`, else env NATS_SERVER_BIN, else `nats-server` found on
 * PATH, else /usr/sbin/nats-server (Debian installs it there, outside a non-root PATH).
 *
 * @throws Error naming every place looked at when none is executable.
 */
export async function resolveNatsBinary(explicit?: string): Promise<string> {
  const configured = explicit ?? process.env['NATS_SERVER_BIN'];
  if (configured !== undefined && configured.length > 0) {
    if (!configured.includes('/')) return configured;
    if (await isExecutable(configured)) return configured;
    throw new Error(
      `nats-server binary ${configured} (from ${explicit !== undefined ? 'options.bin' : 'NATS_SERVER_BIN'}) is not executable`,
    );
  }
  const candidates = (process.env['PATH'] ?? '')
    .split(path.delimiter)
    .filter((dir) => dir.length > 0)
    .map((dir) => path.join(dir, 'nats-server'));
  candidates.push('/usr/sbin/nats-server');
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return candidate;
  }
  throw new Error(
    `nats-server not found (looked in PATH and /usr/sbin). Install it (Debian: apt-get install nats-server) or set NATS_SERVER_BIN.`,
  );
}

const syncSupportByBinary = new Map<string, Promise<boolean>>();

/** Whether this nats-server accepts `jetstream { sync_interval: always }` (2.10+), via `-t`. */
function supportsSyncAlways(bin: string, scratchDir: string): Promise<boolean> {
  let known = syncSupportByBinary.get(bin);
  if (known === undefined) {
    known = probeSyncAlways(bin, scratchDir);
    syncSupportByBinary.set(bin, known);
  }
  return known;
}

async function probeSyncAlways(bin: string, scratchDir: string): Promise<boolean> {
  const probePath = path.join(scratchDir, `.sync-probe-${process.pid}.conf`);
  await fs.writeFile(probePath, 'jetstream {\n  sync_interval: always\n}\n');
  try {
    const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(bin, ['-t', '-c', probePath], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('error', (error) => reject(new Error(`could not run ${bin}: ${error.message}`, { cause: error })));
      child.once('close', (code) => resolve({ code, output }));
    });
    if (result.code === 0) return true;
    if (/sync_interval/.test(result.output)) return false;
    throw new Error(`${bin} -t rejected a minimal JetStream config:\n${result.output}`);
  } finally {
    await fs.rm(probePath, { force: true });
  }
}
