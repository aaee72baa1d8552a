// A throwaway Alertmanager (Debian's prometheus-alertmanager) for tests: free port, its own config
// and storage directory, clustering off; removed on stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eventually } from './eventually';
import { registerExitCleanup } from './internal/exit-cleanup';
import { lastLines, OutputTail } from './internal/output-tail';
import { findFreePort } from './ports';

/** One alert as `GET /api/v2/alerts` lists it (the fields tests read). */
export interface AlertmanagerListedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed' };
}

export interface LocalAlertmanager {
  /** `http://127.0.0.1:<port>`: give it to the orphan monitor as ALERTMANAGER_URL. */
  readonly url: string;
  readonly port: number;
  /** The alerts Alertmanager holds that have not ended (`GET /api/v2/alerts`; resolved ones are not listed). */
  alerts(): Promise<AlertmanagerListedAlert[]>;
  /** The last ~64 KiB of its log. */
  output(): string;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const CONFIG = `# Written by @legwork/devstack: every alert is kept and shown, sent nowhere.
route:
  receiver: none
  group_wait: 1s
receivers:
  - name: none
`;

/**
 * Starts `prometheus-alertmanager` on a free 127.0.0.1 port (or `port`: e.g. the one of an
 * instance stopped before, to play a restart) with a minimal config and storage in a new
 * temporary directory, and resolves once `/-/ready` answers 200.
 * @param options.bin default env ALERTMANAGER_BIN, else /usr/bin/prometheus-alertmanager (Debian)
 * @throws Error when the binary is missing (install: `apt-get install prometheus-alertmanager`),
 *   exits during start-up, or is not ready within 20 s (the message holds its log)
 */
export async function startAlertmanager(options: { port?: number; bin?: string } = {}): Promise<LocalAlertmanager> {
  const bin = options.bin ?? (process.env['ALERTMANAGER_BIN'] || '/usr/bin/prometheus-alertmanager');
  await fs.access(bin, fsConstants.X_OK).catch(() => {
    throw new Error(`${bin} not found: install it (Debian: apt-get install prometheus-alertmanager) or set ALERTMANAGER_BIN`);
  });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'legwork-alertmanager-'));
  await fs.writeFile(path.join(dir, 'alertmanager.yml'), CONFIG);
  const port = options.port ?? (await findFreePort());
  const url = `http://127.0.0.1:${port}`;
  const tail = new OutputTail();
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=', // no gossip port: a single throwaway instance
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => tail.append(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => tail.append(chunk.toString('utf8')));
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
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`alertmanager exited:\n${lastLines(tail.toString())}`);
        const ready = await fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        );
        return ready ? true : undefined;
      },
      { what: `alertmanager ready on ${url}`, timeoutMs: 20_000 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    port,
    output: () => tail.toString(),
    async alerts() {
      const response = await fetch(`${url}/api/v2/alerts`);
      if (!response.ok) throw new Error(`GET ${url}/api/v2/alerts answered ${response.status}`);
      return (await response.json()) as AlertmanagerListedAlert[];
    },
    stop,
  };
}
