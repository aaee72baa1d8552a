// A throwaway (tests) or persistent (demo) PostgreSQL cluster run from the distribution's binaries.
//
// Why the OS user dance: initdb and postgres refuse to run as root. When we are root (CI, this
// machine) every PostgreSQL binary runs through `runuser -u postgres --`, the data directory is
// chowned to that user, and every ancestor directory must be enterable by it (checked up front,
// because PostgreSQL's own message for that case is an unhelpful "Permission denied").
//
// The cluster is created with `-E UTF8 --locale=C` so tests do not depend on the machine's
// locale settings (an unset LANG would otherwise give SQL_ASCII) and text sorts by code point.
import { constants as fsConstants, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { registerExitCleanup } from './internal/exit-cleanup';
import { lastLines } from './internal/output-tail';
import { delay, isRoot, runCommand } from './internal/run-command';
import { findFreePort } from './ports';

export interface StartPostgresOptions {
  /** Cluster directory. initdb runs when it is missing or empty; an existing cluster is reused. */
  dataDir: string;
  /** TCP port on 127.0.0.1; default: a free port chosen by findFreePort(). */
  port?: number;
  /**
   * true for tests: `fsync=off, full_page_writes=off` and initdb `--no-sync` (data may be lost
   * on an OS crash, irrelevant for a throwaway cluster; a killed server loses nothing committed).
   * false (default) for the demo: PostgreSQL's durable defaults.
   */
  fast?: boolean;
  /** Directory with initdb/pg_ctl/postgres; default see resolvePostgresBinDir(). */
  binDir?: string;
  /**
   * Directory for the Unix socket (`-k`); created if missing. Keep it short: socket paths are
   * limited to 107 bytes. Default: a new temp dir under os.tmpdir(), removed by stop().
   */
  socketDir?: string;
  /** `max_connections`; default 300 (parallel test files each open pools). */
  maxConnections?: number;
  /** How long pg_ctl may wait for the server to accept connections, in ms; default 60000. */
  startTimeoutMs?: number;
}

export interface PostgresRestartOptions {
  /** pg_ctl shutdown mode: 'fast' (default, clean) or 'immediate' (crash-like, WAL recovery on start). */
  mode?: 'fast' | 'immediate';
}

export interface LocalPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (superuser, trust auth); unchanged by restart(). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Directory holding the Unix socket `.s.PGSQL.<port>` (for psql -h). */
  readonly socketDir: string;
  /** Server log file (pg_ctl -l), inside dataDir. */
  readonly logFile: string;
  /** Postmaster process id; undefined while stopped. Changes on restart(). */
  readonly pid: number | undefined;
  /** Stops the server (`pg_ctl stop -m fast`). Idempotent. Keeps dataDir. */
  stop(): Promise<void>;
  /** Stops the server if running and starts it again on the same port with the same data. */
  restart(options?: PostgresRestartOptions): Promise<void>;
}

interface OsUser {
  uid: number;
  gid: number;
}

/**
 * Initialises (once) and starts a PostgreSQL cluster listening on 127.0.0.1 only, with trust
 * authentication for user `postgres`, and resolves once a client can run `SELECT 1`.
 *
 * @throws Error when the binaries are missing, dataDir is a non-empty non-cluster directory, the
 *   `postgres` OS user is needed (running as root) but missing or cannot reach dataDir, or the
 *   server does not start (the message holds the tail of its log). With no `port` given, a port
 *   that turns out to be taken is replaced by another free one (up to 3 attempts).
 */
export async function startPostgres(options: StartPostgresOptions): Promise<LocalPostgres> {
  const binDir = await resolvePostgresBinDir(options.binDir);
  const dataDir = path.resolve(options.dataDir);
  const runAs = isRoot() ? await lookUpOsUser('postgres') : undefined;
  const fast = options.fast ?? false;

  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs !== undefined) {
    await assertReachableBy(runAs, path.dirname(dataDir));
    const stat = await fs.stat(dataDir);
    if (stat.uid !== runAs.uid) await runCommand('chown', ['-R', `${runAs.uid}:${runAs.gid}`, dataDir]);
  }
  await initClusterIfEmpty(binDir, dataDir, runAs, fast);

  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort());
    const socketDir = options.socketDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'lwpg-')));
    const server = new PostgresServer(binDir, dataDir, port, runAs, {
      socketDir: path.resolve(socketDir),
      ownsSocketDir: options.socketDir === undefined,
      fast,
      maxConnections: options.maxConnections ?? 300,
      startTimeoutMs: options.startTimeoutMs ?? 60_000,
    });
    try {
      await server.start();
      return server;
    } catch (error) {
      if (options.socketDir === undefined) await fs.rm(socketDir, { recursive: true, force: true });
      const portTaken = error instanceof Error && /Address already in use|could not bind/i.test(error.message);
      if (attempt < attempts && portTaken) continue;
      throw error;
    }
  }
}

interface ServerSettings {
  socketDir: string;
  ownsSocketDir: boolean;
  fast: boolean;
  maxConnections: number;
  startTimeoutMs: number;
}

class PostgresServer implements LocalPostgres {
  readonly url: string;
  readonly logFile: string;
  readonly socketDir: string;
  pid: number | undefined;
  private running = false;
  private unregisterCleanup: (() => void) | undefined;

  constructor(
    private readonly binDir: string,
    readonly dataDir: string,
    readonly port: number,
    private readonly runAs: OsUser | undefined,
    private readonly settings: ServerSettings,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    this.logFile = path.join(dataDir, 'server.log');
    this.socketDir = settings.socketDir;
  }

  async start(): Promise<void> {
    // Unix-socket paths are limited to 107 bytes, so by default the socket lives in a short temp
    // dir rather than in dataDir (which may be deep inside a checkout).
    const socketDir = this.socketDir;
    if (Buffer.byteLength(path.join(socketDir, `.s.PGSQL.${this.port}`)) > 107) {
      throw new Error(`startPostgres: socketDir ${socketDir} is too long for a Unix socket path (max 107 bytes with the file name)`);
    }
    await fs.mkdir(socketDir, { recursive: true, mode: 0o755 });
    if (this.runAs !== undefined) {
      await fs.chown(socketDir, this.runAs.uid, this.runAs.gid);
      await assertReachableBy(this.runAs, path.dirname(socketDir));
    }
    const serverOptions = [
      `-p ${this.port}`,
      `-k ${shellQuote(socketDir)}`,
      '-c listen_addresses=127.0.0.1',
      `-c max_connections=${this.settings.maxConnections}`,
      // Not synchronous_commit=off: that loses acknowledged commits when the *server process*
      // dies (restart({ mode: 'immediate' }) in chaos tests); fsync=off only risks an OS crash.
      ...(this.settings.fast ? ['-c fsync=off', '-c full_page_writes=off'] : []),
    ].join(' ');
    const timeoutS = Math.ceil(this.settings.startTimeoutMs / 1000);
    try {
      await this.pgCtl(['start', '-D', this.dataDir, '-l', this.logFile, '-w', '-t', String(timeoutS), '-o', serverOptions]);
    } catch (error) {
      const log = await readTail(this.logFile);
      throw new Error(`PostgreSQL on port ${this.port} did not start (${(error as Error).message.split('\n')[0] ?? ''}):\n${log}`, {
        cause: error,
      });
    }
    this.running = true;
    this.pid = await readPostmasterPid(this.dataDir);
    const pid = this.pid;
    this.unregisterCleanup = registerExitCleanup(() => {
      // SIGQUIT = immediate shutdown: the only synchronous option left in an 'exit' handler.
      if (pid !== undefined) process.kill(pid, 'SIGQUIT');
    });
    await waitUntilAcceptingQueries(this.url, this.settings.startTimeoutMs, this.logFile);
  }

  async stop(): Promise<void> {
    await this.shutDown('fast');
    if (this.settings.ownsSocketDir) await fs.rm(this.socketDir, { recursive: true, force: true });
  }

  async restart(options: PostgresRestartOptions = {}): Promise<void> {
    await this.shutDown(options.mode ?? 'fast');
    await this.start();
  }

  private async shutDown(mode: 'fast' | 'immediate'): Promise<void> {
    if (!this.running) return;
    try {
      await this.pgCtl(['stop', '-D', this.dataDir, '-m', mode, '-w', '-t', '60']);
    } catch (error) {
      if (!/Is server running\?|PID file .* does not exist/i.test((error as Error).message)) throw error;
    }
    this.unregisterCleanup?.();
    this.unregisterCleanup = undefined;
    this.pid = undefined;
    this.running = false;
  }

  private pgCtl(args: string[]): Promise<unknown> {
    return runPostgresBinary(this.binDir, 'pg_ctl', args, this.runAs);
  }
}

async function initClusterIfEmpty(binDir: string, dataDir: string, runAs: OsUser | undefined, fast: boolean): Promise<void> {
  const entries = await fs.readdir(dataDir);
  if (entries.includes('PG_VERSION')) return;
  if (entries.length > 0) {
    throw new Error(`startPostgres: ${dataDir} is neither empty nor a PostgreSQL cluster (no PG_VERSION); refusing to initdb into it`);
  }
  await runPostgresBinary(
    binDir,
    'initdb',
    ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', ...(fast ? ['--no-sync'] : [])],
    runAs,
  );
}

function runPostgresBinary(binDir: string, name: string, args: string[], runAs: OsUser | undefined): Promise<unknown> {
  const binary = path.join(binDir, name);
  // cwd '/': the postgres user may not be allowed into our cwd (e.g. /root), and pg_ctl warns then.
  if (runAs === undefined) return runCommand(binary, args, { cwd: '/' });
  return runCommand('runuser', ['-u', 'postgres', '--', binary, ...args], { cwd: '/' });
}

async function waitUntilAcceptingQueries(url: string, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      lastError = error;
      await delay(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL at ${url} does not answer queries: ${String(lastError)}\n${await readTail(logFile)}`);
}

async function readPostmasterPid(dataDir: string): Promise<number | undefined> {
  try {
    const firstLine = (await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0];
    const pid = Number(firstLine);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function readTail(file: string): Promise<string> {
  try {
    return lastLines(await fs.readFile(file, 'utf8'));
  } catch {
    return `(no log at ${file})`;
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function lookUpOsUser(name: string): Promise<OsUser> {
  try {
    const [uid, gid] = await Promise.all([runCommand('id', ['-u', name]), runCommand('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch (error) {
    throw new Error(
      `startPostgres: running as root, so PostgreSQL must run as OS user "${name}", which does not exist. ` +
        `Install the postgresql package (it creates the user) or run as a non-root user.`,
      { cause: error },
    );
  }
}

/** Throws a clear error when `user` cannot enter `dir` or one of its ancestors. */
async function assertReachableBy(user: OsUser, dir: string): Promise<void> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const stat = await fs.stat(current);
    if (!canSearch(stat, user)) {
      throw new Error(
        `startPostgres: OS user "postgres" (uid ${user.uid}) cannot enter ${current} (mode ${(stat.mode & 0o777).toString(8)}). ` +
          `Put dataDir somewhere it can reach (e.g. under /tmp) or make ${current} searchable (chmod o+x).`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

function canSearch(stat: Stats, user: OsUser): boolean {
  if (stat.uid === user.uid) return (stat.mode & fsConstants.S_IXUSR) !== 0;
  if (stat.gid === user.gid) return (stat.mode & fsConstants.S_IXGRP) !== 0;
  return (stat.mode & fsConstants.S_IXOTH) !== 0;
}

async function hasInitdb(dir: string): Promise<boolean> {
  try {
    await fs.access(path.join(dir, 'initdb'), fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The directory holding initdb, pg_ctl and postgres: `explicit`, else env PG_BIN_DIR, else
 * `pg_config --bindir` (when it really contains initdb: client-only installs point elsewhere),
 * else the newest `/usr/lib/postgresql/<major>/bin` (Debian/Ubuntu layout).
 *
 * @throws Error naming every place looked at when none holds an executable initdb.
 */
export async function resolvePostgresBinDir(explicit?: string): Promise<string> {
  const configured = explicit ?? process.env['PG_BIN_DIR'];
  if (configured !== undefined && configured.length > 0) {
    if (await hasInitdb(configured)) return configured;
    throw new Error(
      `PostgreSQL bin dir ${configured} (from ${explicit !== undefined ? 'options.binDir' : 'PG_BIN_DIR'}) has no executable initdb`,
    );
  }
  const looked: string[] = [];
  try {
    const fromPgConfig = (await runCommand('pg_config', ['--bindir'], { timeoutMs: 10_000 })).stdout.trim();
    if (fromPgConfig.length > 0) {
      if (await hasInitdb(fromPgConfig)) return fromPgConfig;
      looked.push(`${fromPgConfig} (pg_config --bindir)`);
    }
  } catch {
    looked.push('pg_config (not installed)');
  }
  const root = '/usr/lib/postgresql';
  const majors = await fs.readdir(root).catch(() => [] as string[]);
  const newestFirst = majors.filter((m) => /^\d+(\.\d+)?$/.test(m)).sort((a, b) => Number(b) - Number(a));
  for (const major of newestFirst) {
    const dir = path.join(root, major, 'bin');
    if (await hasInitdb(dir)) return dir;
  }
  looked.push(`${root}/*/bin`);
  throw new Error(
    `PostgreSQL server binaries not found (looked at: ${looked.join(', ')}). ` +
      `Install them (Debian: apt-get install postgresql) or set PG_BIN_DIR to the directory holding initdb and pg_ctl.`,
  );
}
