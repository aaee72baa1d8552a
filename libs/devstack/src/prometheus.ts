// A throwaway Prometheus (Debian's `prometheus` package) for tests: free port, a generated config
// that scrapes the given services every second and loads the given rule files (the production ones:
// legworkRuleFiles()), storage in a temporary directory removed on stop().
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startTestDaemon } from './internal/test-daemon';
import { repoRoot } from './legwork-stack';
import { findFreePort } from './ports';

export interface StartPrometheusOptions {
  /** Scrape job name → base URL of a service that serves `/metrics`, e.g. `{ 'orphan-monitor': t.stack.urls['orphan-monitor'] }`. */
  scrapeTargets: Record<string, string>;
  /** Absolute paths of the rule files to load (the production ones: {@link legworkRuleFiles}). */
  ruleFiles: string[];
  /** `http://host:port` of an Alertmanager firing alerts are sent to (none when absent). */
  alertmanagerUrl?: string;
  /** Both the scrape and the rule evaluation interval, in ms; default 1000. */
  evaluationIntervalMs?: number;
  /** `global.external_labels` (as production's `environment`, `runbook_base_url`); default `{ environment: 'test' }`. */
  externalLabels?: Record<string, string>;
  /** Default env PROMETHEUS_BIN, else /usr/bin/prometheus (Debian). */
  bin?: string;
}

/** One alert as `GET /api/v1/alerts` lists it (pending or firing). */
export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

/** One rule group as `GET /api/v1/rules` lists it, with each rule's health after its last evaluation. */
export interface PrometheusRuleGroup {
  name: string;
  file: string;
  rules: { name: string; type: 'alerting' | 'recording'; health: 'ok' | 'err' | 'unknown'; lastError?: string; query: string }[];
}

export interface LocalPrometheus {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Instant query (`GET /api/v1/query`): each series' labels and value (a decimal string). */
  query(promql: string): Promise<{ metric: Record<string, string>; value: string }[]>;
  /** The pending and firing alerts (`GET /api/v1/alerts`). */
  alerts(): Promise<PrometheusAlert[]>;
  /** The loaded rule groups (`GET /api/v1/rules`). */
  ruleGroups(): Promise<PrometheusRuleGroup[]>;
  /** The Alertmanager URLs it sends alerts to (`GET /api/v1/alertmanagers`, active ones). */
  alertmanagers(): Promise<string[]>;
  /** The last ~64 KiB of its log. */
  output(): string;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** The rule files production loads: `rule_files` of ops/prometheus/prometheus.yml, as absolute paths. */
export async function legworkRuleFiles(): Promise<string[]> {
  const dir = path.join(repoRoot(), 'ops', 'prometheus');
  const config = parse(await fs.readFile(path.join(dir, 'prometheus.yml'), 'utf8')) as { rule_files?: string[] };
  return (config.rule_files ?? []).map((file) => path.resolve(dir, file));
}

/** The Prometheus configuration for `options` (YAML). */
function configFor(options: StartPrometheusOptions): string {
  const interval = `${options.evaluationIntervalMs ?? 1000}ms`;
  const config = {
    global: {
      scrape_interval: interval,
      scrape_timeout: interval,
      evaluation_interval: interval,
      external_labels: options.externalLabels ?? { environment: 'test' },
    },
    rule_files: options.ruleFiles,
    ...(options.alertmanagerUrl
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(options.alertmanagerUrl).host] }] }] } }
      : {}),
    scrape_configs: Object.entries(options.scrapeTargets).map(([job, url]) => ({
      job_name: job,
      scheme: new URL(url).protocol.replace(':', ''),
      static_configs: [{ targets: [new URL(url).host] }],
    })),
  };
  return `# Written by @legwork/devstack (startPrometheus).\n${stringify(config)}`;
}

/**
 * Starts `prometheus` on a free 127.0.0.1 port with the config of {@link configFor} and its TSDB
 * in a new temporary directory, and resolves once `/-/ready` answers 200 (config and rules loaded).
 * @throws Error when the binary is missing (install: `apt-get install prometheus`), it exits during
 *   start-up (e.g. a rule file it refuses), or is not ready within 20 s (the message holds its log)
 */
export async function startPrometheus(options: StartPrometheusOptions): Promise<LocalPrometheus> {
  const bin = options.bin ?? (process.env['PROMETHEUS_BIN'] || '/usr/bin/prometheus');
  await fs.access(bin, fsConstants.X_OK).catch(() => {
    throw new Error(`${bin} not found: install it (Debian: apt-get install prometheus) or set PROMETHEUS_BIN`);
  });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'legwork-prometheus-'));
  await fs.writeFile(path.join(dir, 'prometheus.yml'), configFor(options));
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const daemon = await startTestDaemon({
    name: 'prometheus',
    bin,
    args: [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    dir,
    readyUrl: `${url}/-/ready`,
  });
  /** `data` of a Prometheus HTTP API answer. @throws Error on a non-2xx answer or `status: error` */
  const api = async <T>(apiPath: string): Promise<T> => {
    const response = await fetch(`${url}${apiPath}`);
    const body = (await response.json().catch(() => ({}))) as { status?: string; data?: T; error?: string };
    if (!response.ok || body.status !== 'success') throw new Error(`GET ${url}${apiPath} answered ${response.status}: ${body.error ?? ''}`);
    return body.data as T;
  };
  return {
    url,
    port,
    output: daemon.output,
    async query(promql) {
      const data = await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
        `/api/v1/query?query=${encodeURIComponent(promql)}`,
      );
      return data.result.map((r) => ({ metric: r.metric, value: r.value[1] }));
    },
    alerts: async () => (await api<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts,
    ruleGroups: async () => (await api<{ groups: PrometheusRuleGroup[] }>('/api/v1/rules')).groups,
    alertmanagers: async () =>
      (await api<{ activeAlertmanagers: { url: string }[] }>('/api/v1/alertmanagers')).activeAlertmanagers.map((a) => a.url),
    stop: daemon.stop,
  };
}
