// A throwaway Alertmanager (Debian's prometheus-alertmanager) for tests: free port, its own config
// and storage directory, clustering off; removed on stop().
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestDaemon } from './internal/test-daemon';
import { findFreePort } from './ports';

/** One alert as `GET /api/v2/alerts` lists it (the fields tests read). */
export interface AlertmanagerListedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[] };
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
 * @param options.configFile a config to run instead of the minimal one (e.g. ops/prometheus/alertmanager.yml)
 * @throws Error when the binary is missing (install: `apt-get install prometheus-alertmanager`),
 *   exits during start-up, or is not ready within 20 s (the message holds its log)
 */
export async function startAlertmanager(options: { port?: number; bin?: string; configFile?: string } = {}): Promise<LocalAlertmanager> {
  const bin = options.bin ?? (process.env['ALERTMANAGER_BIN'] || '/usr/bin/prometheus-alertmanager');
  await fs.access(bin, fsConstants.X_OK).catch(() => {
    throw new Error(`${bin} not found: install it (Debian: apt-get install prometheus-alertmanager) or set ALERTMANAGER_BIN`);
  });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'legwork-alertmanager-'));
  await fs.writeFile(path.join(dir, 'alertmanager.yml'), options.configFile ? await fs.readFile(options.configFile, 'utf8') : CONFIG);
  const port = options.port ?? (await findFreePort());
  const url = `http://127.0.0.1:${port}`;
  const daemon = await startTestDaemon({
    name: 'alertmanager',
    bin,
    args: [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=', // no gossip port: a single throwaway instance
    ],
    dir,
    readyUrl: `${url}/-/ready`,
  });
  return {
    url,
    port,
    output: daemon.output,
    async alerts() {
      const response = await fetch(`${url}/api/v2/alerts`);
      if (!response.ok) throw new Error(`GET ${url}/api/v2/alerts answered ${response.status}`);
      return (await response.json()) as AlertmanagerListedAlert[];
    },
    stop: daemon.stop,
  };
}
