import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase, LocalNats, startNatsServer, startPostgres } from '@legwork/devstack';
import { runMigrations } from '@legwork/persistence';

/** What a benchmark runs on: a throwaway, migrated PostgreSQL (fsync off) and, if asked, NATS. */
export interface BenchInfra {
  databaseUrl: string;
  /** The PostgreSQL postmaster's pid (its backends are its children), when known. */
  postgresPid: number | undefined;
  nats: LocalNats | null;
  /** Runs `cleanup` before the servers stop (services first, then what they use). */
  onStop(cleanup: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

export async function startBenchInfra(options: { nats: boolean }): Promise<BenchInfra> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-bench-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own OS user when we are root
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), fast: true });
  const nats = options.nats ? await startNatsServer({ dataDir: path.join(dir, 'nats') }) : null;
  const cleanups: (() => Promise<unknown>)[] = [];
  const databaseUrl = await ensureDatabase(pg.url, 'bench');
  await runMigrations(databaseUrl);
  return {
    databaseUrl,
    postgresPid: pg.pid,
    nats,
    onStop: (cleanup) => void cleanups.unshift(cleanup),
    async stop() {
      for (const cleanup of cleanups) await cleanup();
      await nats?.stop();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * CPU time (user + system, ms) of the processes `pids` and their children so far, from Linux's
 * /proc/<pid>/stat (clock ticks of 10 ms, the usual USER_HZ); null where /proc is not there.
 */
export function processTreeCpuMs(pids: readonly number[]): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  let ms = 0;
  for (const entry of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state, ppid, …; utime and stime are the 12th and 13th
      if (pids.includes(Number(entry)) || pids.includes(Number(fields[1]))) ms += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // The process ended between the listing and the read: its time is gone with it.
    }
  }
  return ms;
}

/** Runs a benchmark's `main` and exits 0, or 1 with the failure on stderr. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
